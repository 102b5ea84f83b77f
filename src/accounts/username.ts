import { InvalidInput } from '../shared/errors.js';

/** 3-32 letters (any script), digits, dot, dash or underscore; not all digits (that would look like an ID). */
export function parseUsername(input: string): string {
  const u = input.normalize('NFKC').trim().toLowerCase();
  if (!/^[\p{L}\p{N}._-]{3,32}$/u.test(u) || /^\p{N}+$/u.test(u))
    throw new InvalidInput('username_invalid', 'username');
  return u;
}
