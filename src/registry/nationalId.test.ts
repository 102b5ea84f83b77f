import { describe, expect, it } from 'vitest';
import { checkNationalId, normalizeDigits, withCheckDigit } from './nationalId.js';

describe('normalizeDigits', () => {
  it('turns Arabic-Indic and Eastern Arabic-Indic digits into ASCII and leaves the rest', () => {
    expect(normalizeDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalizeDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(normalizeDigits('a٣-۴ 5')).toBe('a3-4 5');
  });
});

describe('withCheckDigit', () => {
  it('appends the Luhn digit computed over the nine digits', () => {
    // 1·2 + 0 + … = 2 -> check digit 8
    expect(withCheckDigit('100000000')).toBe('1000000008');
    // doubled (odd positions): 1,3,5,7,9 -> 2+6+1+5+9 = 23; kept: 2,4,6,8 -> 20; 43 -> 7
    expect(withCheckDigit('123456789')).toBe('1234567897');
  });

  it('refuses anything but nine digits', () => {
    expect(() => withCheckDigit('12345678')).toThrow(TypeError);
    expect(() => withCheckDigit('12345678a')).toThrow(TypeError);
  });

  it('produces IDs that checkNationalId accepts', () => {
    for (const nine of ['100000000', '123456789', '200000001', '199999999']) {
      expect(checkNationalId(withCheckDigit(nine)).ok).toBe(true);
    }
  });
});

describe('checkNationalId', () => {
  it('cleans an ID pasted with spaces, dashes or direction marks instead of refusing it', () => {
    for (const pasted of [
      '10000 00008',
      '1000-000-008',
      ' 1 000 000 008 ',
      '\u200e1000000008\u200f',
      '١٠٠٠ ٠٠٠ ٠٠٨',
    ]) {
      expect(checkNationalId(pasted)).toEqual({ ok: true, nationalId: '1000000008', idType: 'citizen' });
    }
  });

  it('accepts a citizen ID (first digit 1)', () => {
    expect(checkNationalId('1000000008')).toEqual({ ok: true, nationalId: '1000000008', idType: 'citizen' });
  });

  it('accepts a resident ID (first digit 2)', () => {
    const id = withCheckDigit('210573946');
    expect(checkNationalId(id)).toEqual({ ok: true, nationalId: id, idType: 'resident' });
  });

  it('trims surrounding whitespace', () => {
    expect(checkNationalId('  1000000008\t\n')).toMatchObject({ ok: true, nationalId: '1000000008' });
  });

  it('accepts Arabic-Indic and Eastern Arabic-Indic digits and returns ASCII', () => {
    expect(checkNationalId('١٠٠٠٠٠٠٠٠٨')).toEqual({ ok: true, nationalId: '1000000008', idType: 'citizen' });
    expect(checkNationalId('۱۰۰۰۰۰۰۰۰۸')).toEqual({ ok: true, nationalId: '1000000008', idType: 'citizen' });
    // mixed scripts in one ID, as a half-switched keyboard gives
    expect(checkNationalId('1٠0۰000008')).toMatchObject({ ok: true, nationalId: '1000000008' });
  });

  it.each([
    ['', 'empty'],
    ['100000000', 'nine digits'],
    ['10000000080', 'eleven digits'],
    ['100000000a', 'a letter'],
    ['+1000000008', 'a sign'],
    ['1000000008.0', 'a decimal'],
  ])('rejects %j (%s) with reason format', (input) => {
    expect(checkNationalId(input)).toEqual({ ok: false, reason: 'format' });
  });

  it.each(['0000000000', '3000000004', '9999999999'])('rejects %s with reason type', (input) => {
    expect(checkNationalId(input)).toEqual({ ok: false, reason: 'type' });
  });

  it('rejects every wrong check digit with reason checksum', () => {
    for (let d = 0; d <= 9; d++) {
      if (d === 8) continue;
      expect(checkNationalId(`100000000${d}`)).toEqual({ ok: false, reason: 'checksum' });
    }
  });

  it('catches a single mistyped digit and a swap of neighbours', () => {
    expect(checkNationalId('1000010008')).toEqual({ ok: false, reason: 'checksum' });
    // 1234567897 with 4 and 5 swapped
    expect(checkNationalId('1235467897')).toEqual({ ok: false, reason: 'checksum' });
  });
});
