// The Prometheus metrics listener's settings (METRICS_PORT, METRICS_HOST, METRICS_TOKEN).

import { privateAddress } from '../shared/privateAddress.js';
import type { EnvReader } from './envReader.js';
import { MIN_SECRET_LENGTH, WEAK_SECRET, weakSecret } from './secrets.js';

export type MetricsSettings =
  | { readonly port: number; readonly host: string; readonly token: string | undefined }
  | undefined;

/** The metrics listener's settings: refused at start when it would be open to anyone (checklist 44). */
export function readMetrics(r: EnvReader, at: { production: boolean; port: number }): MetricsSettings {
  const port = r.raw('METRICS_PORT') === undefined ? undefined : r.int('METRICS_PORT', 0, 1, 65535);
  const host = r.str('METRICS_HOST', '127.0.0.1');
  const token = r.raw('METRICS_TOKEN');
  if (port === undefined) {
    for (const name of ['METRICS_HOST', 'METRICS_TOKEN']) {
      if (r.raw(name) !== undefined)
        r.problems.push(`${name} needs METRICS_PORT (metrics have their own listener)`);
    }
    return undefined;
  }
  if (port === at.port)
    r.problems.push('METRICS_PORT must differ from PORT (metrics are never on the public port)');
  if (token !== undefined && token.length < MIN_SECRET_LENGTH)
    r.problems.push('METRICS_TOKEN must be at least 32 characters');
  else if (at.production && !privateAddress(host) && (token === undefined || weakSecret(token)))
    r.problems.push(
      `METRICS_TOKEN must be set to a random secret in production when METRICS_HOST (${host}) is not a loopback or private address: ${WEAK_SECRET}`,
    );
  return Object.freeze({ port, host, token });
}
