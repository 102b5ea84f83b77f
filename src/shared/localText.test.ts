import { describe, expect, it } from 'vitest';
import { citizenDate, fillTemplate, isolatedHtml, localDigits } from './localText.js';

const tries =
  '{n, plural, zero {no tries} one {one try} two {two tries} few {# few} many {# many} other {# other}}';

describe('localText', () => {
  it('picks each of the six Arabic plural forms, and the two English ones', () => {
    const ar = (n: number) => fillTemplate('ar', tries, { n });
    expect([0, 1, 2, 3, 10, 11, 99, 100, 102].map(ar)).toEqual([
      'no tries',
      'one try',
      'two tries',
      '3 few',
      '10 few',
      '11 many',
      '99 many',
      '100 other',
      '102 other',
    ]);
    expect([1, 2, 5].map((n) => fillTemplate('en', tries, { n }))).toEqual(['one try', '2 other', '5 other']);
    // a missing branch falls back to other; plain parameters are filled as before
    expect(fillTemplate('ar', '{n, plural, other {# x}} {name}', { n: 1, name: 'A' })).toBe('1 x A');
  });

  it('writes Arabic-Indic digits on Arabic pages and Latin ones on English pages', () => {
    expect(localDigits('ar', 'خلال 60 ثانية')).toBe('خلال ٦٠ ثانية');
    expect(localDigits('en', 'in ٦٠ seconds')).toBe('in 60 seconds');
  });

  it('isolates a masked mobile left to right inside an Arabic sentence, and escapes everything', () => {
    expect(isolatedHtml('ar', 'أرسلنا رمزاً إلى {to}.', { to: '05******12' })).toBe(
      'أرسلنا رمزاً إلى <bdo dir="ltr">٠٥******١٢</bdo>.',
    );
    expect(isolatedHtml('en', 'Sign in to {client} & <b>', { client: '<script>' })).toBe(
      'Sign in to <bdi>&lt;script&gt;</bdi> &amp; &lt;b&gt;',
    );
  });

  it('shows a date in Gregorian and Umm al-Qura Hijri, in the page language', () => {
    expect(citizenDate('en', '2026-02-18')).toEqual({
      gregorian: '18 February 2026',
      hijri: '1 Ramadan 1447 AH',
    });
    const ar = citizenDate('ar', '2026-02-18');
    expect(ar.gregorian).toBe('١٨ فبراير ٢٠٢٦');
    expect(ar.hijri).toContain('١ رمضان ١٤٤٧');
  });
});
