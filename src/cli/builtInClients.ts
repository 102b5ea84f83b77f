import { serviceById } from '../shared/serviceRegistry.js';
import { CliRefused } from './cliErrors.js';

/** The shipped services' clients: their secret and URIs come from the environment, not from the CLI. */
export function refuseBuiltIn(clientId: string, action: string): void {
  const service = serviceById(clientId);
  if (service) {
    throw new CliRefused(
      `${clientId} is a built-in service client: to ${action}, change ${service.env.secret} (and ${service.env.url}) in the environment of the server and the service, then restart them`,
    );
  }
}
