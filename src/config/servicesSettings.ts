// The civil-affairs services' settings: each registered service's URL and client secret.

import {
  SERVICES,
  type ServiceId,
  type ServiceSettings,
  type ServicesSettings,
} from '../shared/serviceRegistry.js';
import type { EnvReader } from './envReader.js';
import { DEV_CLIENT_SECRET, WEAK_SECRET, weakSecret } from './secrets.js';

/** Each registered service's URL and client secret, from the variables its descriptor names. */
export function readServices(r: EnvReader, production: boolean): ServicesSettings {
  const services = {} as Record<ServiceId, ServiceSettings>;
  const devSecrets: string[] = [];
  for (const s of SERVICES) {
    const clientSecret = r.str(s.env.secret, DEV_CLIENT_SECRET);
    if (clientSecret.length < 32) r.problems.push(`${s.env.secret} must be at least 32 characters`);
    if (clientSecret === DEV_CLIENT_SECRET) devSecrets.push(s.env.secret);
    else if (production && weakSecret(clientSecret)) r.problems.push(`${s.env.secret} ${WEAK_SECRET}`);
    const url = (r.url(s.env.url, s.defaultUrl, ['http:', 'https:']) ?? '').replace(/\/$/, '');
    // They become redirect, logout and back-channel logout URIs registered at the IdP.
    if (production && !url.startsWith('https://'))
      r.problems.push(`${s.env.url} must be an https URL in production`);
    services[s.id] = Object.freeze({ url, clientSecret });
  }
  if (production && devSecrets.length > 0) {
    r.problems.push(`${devSecrets.join(' and ')} must be set in production`);
  }
  return Object.freeze(services);
}
