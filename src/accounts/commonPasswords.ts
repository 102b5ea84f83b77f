// The blocklist for new passwords (checklist 4): the most common passwords from breach corpora and a
// word list, as shipped by @zxcvbn-ts/language-common, plus words specific to Hawiya.
import { createRequire } from 'node:module';

type LanguageCommon = typeof import('@zxcvbn-ts/language-common');

// Passwords people pick for this service in particular (its name, "password" in Arabic, keyboard walks).
const HAWIYA_COMMON = [
  'hawiya',
  'hawiyah',
  'hawiyya',
  'huwiya',
  'huwiyya',
  'هوية',
  'هويه',
  'هويتي',
  'password',
  'كلمةالسر',
  'كلمة السر',
  'كلمة المرور',
  'كلمةالمرور',
  'كلمة سر',
  'كلمةسر',
  'الرقم السري',
  'الرقمالسري',
  '12345678',
  '123456789',
  '1234567890',
  'qwertyui',
  'abcd1234',
  '1234abcd',
  'a1b2c3d4',
  // the relying-party services people sign in to through Hawiya
  'lossreport',
  'loss report',
  'replacement',
  'بلاغ فقدان',
  'بلاغفقدان',
  'بدل فاقد',
  'بدلفاقد',
] as const;

let cached: ReadonlySet<string> | undefined;

/** Lower-cased, NFKC-normalised blocklist; built on first use (about 57,000 entries) and kept. */
export function loadCommonPasswords(): ReadonlySet<string> {
  if (cached) return cached;
  // Loaded lazily (the package decompresses its lists when first required) so importing this module costs nothing.
  const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as LanguageCommon;
  const words = new Set<string>();
  // 'diceware-common' is a plain word list: a single dictionary word is as guessable as a breached password.
  for (const list of [dictionary['passwords-common'], dictionary['diceware-common'], HAWIYA_COMMON]) {
    for (const word of list) words.add(word.normalize('NFKC').toLowerCase());
  }
  cached = words;
  return cached;
}
