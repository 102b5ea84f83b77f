import type { RegistryPerson } from './registryRepo.js';

/** All that Hawiya's registry check ever tells a government service about a national ID and a name. */
export type HolderMatch = 'living' | 'deceased' | 'no_match';

// Harakat, tanween, shadda, sukun, superscript alef; and the tatweel (kashida), which is only stretching.
const ARABIC_MARKS = /[\u064b-\u065f\u0670\u0640]/g;

/**
 * A name as people type it, folded so that spelling noise does not decide a match: NFKC, case, spaces,
 * Arabic diacritics and tatweel, the hamza forms of alef (أ إ آ → ا), alef maqsura (ى → ي) and ta marbuta
 * (ة → ه). Anything else must be the same.
 */
export function foldName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(ARABIC_MARKS, '')
    .replace(/[\u0623\u0625\u0622]/g, '\u0627')
    .replace(/\u0649/g, '\u064a')
    .replace(/\u0629/g, '\u0647')
    .toLowerCase()
    .replace(/[\s\u200c-\u200f]+/g, ' ')
    .trim();
}

/** Whether `name` is this person's registered name (given + family, in Arabic or in English). */
export function holderMatch(person: RegistryPerson | undefined, name: string): HolderMatch {
  if (!person) return 'no_match';
  const given = foldName(name);
  if (given === '') return 'no_match';
  const names = [
    `${person.givenNameAr} ${person.familyNameAr}`,
    `${person.givenNameEn} ${person.familyNameEn}`,
  ].map(foldName);
  if (!names.includes(given)) return 'no_match';
  return person.status;
}
