import { checkNationalId } from '../../registry/index.js';
import { parseUsername } from '../username.js';

/**
 * One spelling per login identifier (ASCII digits, NFKC, lower case): what lookups and counters are keyed
 * on, so another spelling of the same ID or username meets the same throttling.
 */
export function canonicalIdentifier(identifier: string): {
  kind: 'nid' | 'username' | 'other';
  value: string;
} {
  const id = checkNationalId(identifier);
  if (id.ok) return { kind: 'nid', value: id.nationalId };
  try {
    return { kind: 'username', value: parseUsername(identifier) };
  } catch {
    return { kind: 'other', value: identifier.normalize('NFKC').toLowerCase() };
  }
}
