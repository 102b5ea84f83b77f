import { SERVICES } from '../shared/serviceRegistry.js';
import { clientCredentialScopes } from './resourceServers.js';

/** The civil-affairs services' own scopes, from the service registry. */
export const SERVICE_SCOPES: readonly string[] = SERVICES.map((s) => s.scope);

/** Every scope the provider knows: a person's claims, the services' sign-in scopes, the APIs' scopes. */
export function supportedScopes(): string[] {
  return [
    'openid',
    'offline_access',
    'profile',
    'national_id',
    'phone',
    'email',
    ...SERVICE_SCOPES,
    ...clientCredentialScopes(),
  ];
}
