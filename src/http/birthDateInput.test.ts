import { describe, expect, it } from 'vitest';
import { birthDateInput } from './birthDateInput.js';

describe('birthDateInput', () => {
  it('takes a Gregorian date as typed, in Arabic-Indic digits or day-first order', () => {
    expect(birthDateInput('1992-11-02', 'gregory')).toBe('1992-11-02');
    expect(birthDateInput('١٩٩٢/١١/٠٢', 'gregory')).toBe('1992-11-02');
    expect(birthDateInput('2/11/1992', '')).toBe('1992-11-02');
  });

  it('converts a Hijri date, picked or recognised by its year', () => {
    expect(birthDateInput('1447-09-01', 'islamic')).toBe('2026-02-18');
    expect(birthDateInput('1405-06-22', 'gregory')).toBe('1985-03-14');
    expect(birthDateInput('22/6/1405', 'islamic')).toBe('1985-03-14');
  });

  it('leaves what cannot be read as typed, for the domain to refuse', () => {
    expect(birthDateInput('1992-02-30', 'gregory')).toBe('1992-02-30');
    expect(birthDateInput('1447-08-30', 'islamic')).toBe('1447-08-30');
    expect(birthDateInput('yesterday', 'gregory')).toBe('yesterday');
  });
});
