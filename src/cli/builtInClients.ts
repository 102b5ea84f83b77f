import { CliRefused } from './cliErrors.js';

/** The shipped services' clients: their secret and URIs come from the environment, not from the CLI. */
const BUILT_IN: Record<string, string> = {
  'loss-report': 'LOSS_REPORT_CLIENT_SECRET',
  replacement: 'REPLACEMENT_CLIENT_SECRET',
};

export function refuseBuiltIn(clientId: string, action: string): void {
  const variable = BUILT_IN[clientId];
  if (variable) {
    throw new CliRefused(
      `${clientId} is a built-in service client: to ${action}, change ${variable} (and the service's URL settings) in the environment of the server and the service, then restart them`,
    );
  }
}
