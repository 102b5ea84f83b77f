import { loadConfig } from '../../src/config.js';
import { oidcIdKeys, storedOidcId } from '../../src/oidc/knexAdapter.js';
import type { TestIdp } from './startTestIdp.js';

/** The `oidc_payloads.id` under which the IdP stores a session, code or token value. */
export function oidcRowId(t: TestIdp, value: string): string {
  const [key] = oidcIdKeys(loadConfig(t.env).cookieKeys);
  if (!key) throw new Error('no cookie key');
  return storedOidcId(key, value);
}
