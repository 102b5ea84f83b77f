/**
 * True when a text holds a C0 control character or DEL other than tab, line feed and carriage return (a
 * textarea or a pretty-printed JSON parameter may hold those). No field, identifier, token or URL Hawiya
 * accepts has a use for them, PostgreSQL refuses NUL in text outright, and they hide in logs.
 */
export function hasControlChars(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

/** hasControlChars over a parsed query or form: every key and value, arrays and nested objects too. */
export function anyControlChars(input: unknown): boolean {
  if (typeof input === 'string') return hasControlChars(input);
  if (Array.isArray(input)) return input.some(anyControlChars);
  if (input && typeof input === 'object') {
    return Object.entries(input).some(([k, v]) => hasControlChars(k) || anyControlChars(v));
  }
  return false;
}
