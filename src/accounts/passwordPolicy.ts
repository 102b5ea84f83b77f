// Rules for a new password, after NIST SP 800-63B-4 (checklist 1-4): a length range and a blocklist,
// and no composition rules (no "one digit, one capital"). Pure: the caller turns a problem into a message.
import { loadCommonPasswords } from './commonPasswords.js';

export type PasswordProblem =
  | 'too_short'
  | 'too_long'
  | 'common'
  | 'contains_username'
  | 'contains_national_id'
  | 'repetitive'
  | 'service_name';

export type PasswordCheck =
  | { ok: true; normalized: string }
  | { ok: false; problem: PasswordProblem; min?: number; max?: number };

/** Minimum length in code points: 8, since a second factor is always required (B4 3.1.1.2). */
export const PASSWORD_MIN = 8;
/** Maximum length in code points: well above the 64 that must be accepted, low enough to bound hashing work. */
export const PASSWORD_MAX = 256;

/** Digits and symbols around a common word that still count as that word ('password1!', '2024letmein'). */
const MAX_DECORATION = 6;
/** Shorter usernames ('al') would match too many passwords by accident. */
const MIN_USERNAME = 3;
/** A core shorter than this ('ab' in 'ab123456') says nothing about guessability. */
const MIN_CORE = 3;

// 'hawiya', 'hawiyya', 'huwiyah', 'howeya'... after leetspeak is undone and separators dropped.
const SERVICE_LATIN = /h[aou]w+[ie]*y+[ae]h?/u;
// 'هوية', 'هويه', 'هويتي' after the Arabic letter variants are folded (ة → ه).
const SERVICE_ARABIC = /هوي+[هت]/u;

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '|': 'i', '3': 'e' };

export function checkNewPassword(input: {
  password: string;
  username?: string;
  nationalId?: string;
}): PasswordCheck {
  const normalized = input.password.normalize('NFKC');
  // one code point = one character, so an Arabic letter or an emoji counts once (checklist 3)
  const length = [...normalized].length;
  if (length < PASSWORD_MIN) return { ok: false, problem: 'too_short', min: PASSWORD_MIN };
  if (length > PASSWORD_MAX) return { ok: false, problem: 'too_long', max: PASSWORD_MAX };

  const lower = normalized.toLowerCase();
  if (mentionsService(lower)) return { ok: false, problem: 'service_name' };
  if (containsUsername(lower, input.username)) return { ok: false, problem: 'contains_username' };
  if (containsNationalId(lower, input.nationalId)) return { ok: false, problem: 'contains_national_id' };
  if (isRepetitive(lower)) return { ok: false, problem: 'repetitive' };
  if (isCommon(lower)) return { ok: false, problem: 'common' };
  return { ok: true, normalized };
}

// NFKC leaves Arabic-Indic digits as they are; fold them so '١٢٣٤٥٦٧٨' is caught like '12345678'.
function foldDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06F0-\u06F9]/gu, (d) => {
    const cp = d.codePointAt(0)!;
    return String(cp - (cp >= 0x06f0 ? 0x06f0 : 0x0660));
  });
}

// Letters and digits are what matters; the rest is decoration a guesser tries anyway.
function stripDecoration(s: string): { core: string; stripped: number } {
  const core = s.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return { core, stripped: [...s].length - [...core].length };
}

function mentionsService(lower: string): boolean {
  const arabic = lower
    .replace(/[\u064B-\u065F\u0670\u0640]/gu, '') // harakat, superscript alef, tatweel
    .replace(/[أإآٱ]/gu, 'ا')
    .replace(/ة/gu, 'ه')
    .replace(/ى/gu, 'ي')
    .replace(/[^\p{L}]/gu, '');
  if (SERVICE_ARABIC.test(arabic)) return true;
  // spaces are kept so that words running into each other ('shaw iyad') do not match
  const latin = [...lower]
    .map((c) => LEET[c] ?? c)
    .join('')
    .replace(/[^\p{L}\s]/gu, '');
  return SERVICE_LATIN.test(latin);
}

function containsUsername(lower: string, username: string | undefined): boolean {
  const name = username?.normalize('NFKC').toLowerCase().trim();
  if (!name) return false;
  // an e-mail address as username: its local part is what people reuse
  const candidates = [name, name.includes('@') ? name.slice(0, name.lastIndexOf('@')) : ''];
  return candidates.some((c) => [...c].length >= MIN_USERNAME && lower.includes(c));
}

function containsNationalId(lower: string, nationalId: string | undefined): boolean {
  const id = foldDigits(nationalId?.normalize('NFKC').toLowerCase().trim() ?? '');
  if (!id) return false;
  const folded = foldDigits(lower);
  if (folded.includes(id)) return true;
  // '1012-345-678' or '1012 345 678' is still the ID
  const idDigits = id.replace(/\D/gu, '');
  return idDigits.length >= 4 && folded.replace(/\D/gu, '').includes(idDigits);
}

function isRepetitive(lower: string): boolean {
  const folded = foldDigits(lower);
  if (isRepetitiveRun(folded)) return true;
  const { core } = stripDecoration(folded);
  return [...core].length >= 4 && core !== folded && isRepetitiveRun(core);
}

// 'aaaaaaaa', 'abababab', 'abcabcab', '12345678', 'abcdefgh', '87654321', '90123456'
function isRepetitiveRun(s: string): boolean {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  for (let unit = 1; unit <= 4 && unit * 2 <= cps.length; unit++) {
    if (cps.every((c, i) => c === cps[i % unit])) return true;
  }
  const allDigits = /^\d+$/u.test(s);
  // digits wrap around ('7890123'); a step of 9 modulo 10 is a descending run
  const steps = cps.slice(1).map((c, i) => (allDigits ? (c - cps[i]! + 10) % 10 : c - cps[i]!));
  const down = allDigits ? 9 : -1;
  return steps.every((d) => d === 1) || steps.every((d) => d === down);
}

function isCommon(lower: string): boolean {
  const blocklist = loadCommonPasswords();
  const compact = lower.replace(/\s+/gu, '');
  if (blocklist.has(lower) || blocklist.has(compact)) return true;
  const { core, stripped } = stripDecoration(compact);
  return [...core].length >= MIN_CORE && stripped <= MAX_DECORATION && blocklist.has(core);
}
