import { describe, expect, it } from 'vitest';
import { ACR, acrRank, essentialAcrs, requiredAcr } from './acr.js';

describe('acrRank and requiredAcr', () => {
  it('orders basic < standard < high and knows no other value', () => {
    expect(acrRank(ACR.basic)).toBeLessThan(acrRank(ACR.standard));
    expect(acrRank(ACR.standard)).toBeLessThan(acrRank(ACR.high));
    expect(acrRank('urn:other')).toBe(-1);
    expect(acrRank(undefined)).toBe(-1);
  });

  it('is basic when nobody asks for more', () => {
    expect(requiredAcr({})).toBe(ACR.basic);
    expect(requiredAcr({ requested: ['urn:unknown'] })).toBe(ACR.basic);
  });

  it("[checklist 12] is the client's minimum, raised but never lowered by acr_values", () => {
    expect(requiredAcr({ clientMin: ACR.standard })).toBe(ACR.standard);
    expect(requiredAcr({ clientMin: ACR.standard, requested: [ACR.basic] })).toBe(ACR.standard);
    expect(requiredAcr({ clientMin: ACR.basic, requested: [ACR.high] })).toBe(ACR.high);
    // several values: the lowest one named is enough
    expect(requiredAcr({ requested: [ACR.high, ACR.standard] })).toBe(ACR.standard);
  });

  it('[checklist 12] is raised by the acr values a claims parameter makes essential', () => {
    const essential = essentialAcrs(
      JSON.stringify({ id_token: { acr: { essential: true, values: [ACR.standard] } } }),
    );
    expect(essential).toEqual([ACR.standard]);
    expect(requiredAcr({ essential })).toBe(ACR.standard);
    expect(requiredAcr({ clientMin: ACR.high, essential })).toBe(ACR.high);
    expect(
      essentialAcrs(JSON.stringify({ id_token: { acr: { essential: true, value: ACR.high } } })),
    ).toEqual([ACR.high]);
    // voluntary, malformed or absent: nothing essential
    expect(essentialAcrs(JSON.stringify({ id_token: { acr: { values: [ACR.high] } } }))).toBeUndefined();
    expect(
      essentialAcrs(JSON.stringify({ userinfo: { acr: { essential: true, value: ACR.high } } })),
    ).toBeUndefined();
    expect(essentialAcrs('{not json')).toBeUndefined();
    expect(essentialAcrs('null')).toBeUndefined();
    expect(essentialAcrs(undefined)).toBeUndefined();
  });
});
