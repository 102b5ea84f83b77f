import { describe, expect, it } from 'vitest';
import { canonicalIdentifier } from './canonicalIdentifier.js';

describe('canonicalIdentifier', () => {
  it('[checklist 7] another spelling of the same ID or username meets the same counters', () => {
    expect(canonicalIdentifier(' 1000000008')).toEqual({ kind: 'nid', value: '1000000008' });
    expect(canonicalIdentifier('١٠٠٠٠٠٠٠٠٨')).toEqual({ kind: 'nid', value: '1000000008' });
    expect(canonicalIdentifier('  Sara.Ali ')).toEqual({ kind: 'username', value: 'sara.ali' });
    expect(canonicalIdentifier('ＳＡＲＡ')).toEqual({ kind: 'username', value: 'sara' });
    expect(canonicalIdentifier('a b')).toEqual({ kind: 'other', value: 'a b' });
  });
});
