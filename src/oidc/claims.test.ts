import { describe, expect, it } from 'vitest';
import { hasMessage, LOCALES, translate } from '../i18n/messages.js';
import {
  claimsAllowedFor,
  consentableClaims,
  releasableClaims,
  SCOPE_CLAIMS,
  scopeOfClaim,
} from './claims.js';

describe('claims a client may receive', () => {
  const person = {
    name: 'محمد العتيبي',
    birthdate: '1985-03-14',
    national_id: '1000000008',
    id_type: 'citizen',
    phone_number: '+966551234512',
    email: 'm@example.com',
  };

  it('[checklist 36] only the claims of the scopes a client is registered for are releasable', () => {
    expect(releasableClaims(person, 'openid')).toEqual({});
    expect(releasableClaims(person, undefined)).toEqual({});
    expect(releasableClaims(person, 'openid email')).toEqual({ email: 'm@example.com' });
    expect(Object.keys(releasableClaims(person, 'openid profile offline_access civil:loss_report'))).toEqual([
      'name',
      'birthdate',
    ]);
    // a scope's name is not a claim, and a claim's name is not a scope
    expect(claimsAllowedFor('national_id').has('national_id')).toBe(true);
    expect(claimsAllowedFor('phone_number').has('phone_number')).toBe(false);
    expect(claimsAllowedFor('toString constructor __proto__').size).toBe(SCOPE_CLAIMS.openid.length);
  });

  it('[checklist 36] consent covers the claims asked for by name within the scopes, never the protocol’s own', () => {
    expect(consentableClaims(['national_id', 'email', 'sub', 'acr', 'email'], 'openid email')).toEqual([
      'email',
    ]);
    expect(consentableClaims(['national_id', 'phone_number'], 'openid')).toEqual([]);
  });

  it('[checklist 36] every claim has a name in Arabic and English, and belongs to one scope', () => {
    for (const [scope, claims] of Object.entries(SCOPE_CLAIMS)) {
      for (const claim of claims) {
        expect(scopeOfClaim(claim)).toBe(scope);
        if (scope === 'openid') continue;
        const key = `claimName.${claim}`;
        expect(hasMessage(key), key).toBe(true);
        if (!hasMessage(key)) continue;
        const [ar, en] = LOCALES.map((l) => translate(l, key));
        expect(ar, key).toMatch(/[\u0600-\u06FF]/);
        expect(en, key).not.toBe(ar);
        expect(en, key).not.toMatch(/_|#|^[a-z]/);
      }
    }
  });
});
