import { describe, expect, it } from 'vitest';
import { newReference, parseReference } from './referenceNumber.js';

describe('reference numbers', () => {
  it('are LR and ten digits whose last is a check digit, and read back as typed', () => {
    const ref = newReference();
    expect(ref).toMatch(/^LR\d{10}$/);
    expect(parseReference(ref)).toBe(ref);
    expect(parseReference(` ${ref.toLowerCase().slice(0, 6)}-${ref.slice(6)} `)).toBe(ref);
    const arabic = ref.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
    expect(parseReference(arabic)).toBe(ref);
  });

  it('refuse a wrong check digit, one changed digit, swapped neighbours and other shapes', () => {
    const ref = 'LR1234567897';
    expect(parseReference(ref)).toBe(ref);
    expect(parseReference('LR1234567890')).toBeUndefined();
    expect(parseReference('LR1234567797')).toBeUndefined();
    expect(parseReference('LR2134567897')).toBeUndefined();
    for (const bad of ['', 'LR123', 'XX1234567897', 'LR12345678970', '1234567897', 'LR'.padEnd(50, '1')]) {
      expect(parseReference(bad)).toBeUndefined();
    }
  });
});
