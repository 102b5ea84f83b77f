/**
 * A label value from a short fixed set, or `other`. Values come from code (factor names, purposes, OAuth
 * error codes, route templates), but anything not shaped like one is dropped rather than exported, so that
 * no personal datum can reach a label even by mistake (checklist 44).
 */
export function labelOf(value: unknown, fallback = 'none'): string {
  if (value === undefined || value === null || value === '') return fallback;
  const s = String(value);
  return /^[a-z][a-z0-9_:.+-]{0,59}$/i.test(s) && !/\d{5}/.test(s) ? s : 'other';
}
