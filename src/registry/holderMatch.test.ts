import { describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from './demoPersons.js';
import { foldName, holderMatch } from './holderMatch.js';
import type { RegistryPerson } from './registryRepo.js';

const person = (nationalId: string): RegistryPerson => {
  const p = DEMO_PERSONS.find((d) => d.nationalId === nationalId);
  if (!p) throw new Error(nationalId);
  return { ...p, updatedAt: 0 };
};

describe('holderMatch', () => {
  it('matches the registered name in Arabic or in English, whatever the case, spacing and diacritics', () => {
    const noura = person('1045238712');
    expect(holderMatch(noura, 'نورة القحطاني')).toBe('living');
    expect(holderMatch(noura, '  نُورَة   القحطانى ')).toBe('living');
    expect(holderMatch(noura, 'noura al-qahtani')).toBe('living');
  });

  it('says deceased for a deceased person, and nothing more', () => {
    expect(holderMatch(person('1088345622'), 'Abdulrahman Al-Shahri')).toBe('deceased');
  });

  it('answers no_match for another name, half a name, an empty name or an unknown ID', () => {
    const noura = person('1045238712');
    expect(holderMatch(noura, 'سارة الدوسري')).toBe('no_match');
    expect(holderMatch(noura, 'نورة')).toBe('no_match');
    expect(holderMatch(noura, '   ')).toBe('no_match');
    expect(holderMatch(undefined, 'نورة القحطاني')).toBe('no_match');
  });

  it('folds hamza forms of alef, tatweel and zero-width marks', () => {
    expect(foldName('أحمـــد\u200f  إبراهيم')).toBe(foldName('احمد ابراهيم'));
  });
});
