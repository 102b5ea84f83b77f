import { describe, expect, it } from 'vitest';
import { FACTORS } from './factors/index.js';
import { ACR } from './levels.js';
import { afterPasswordStep, assurance, nextStep, prove } from './loginFlow.js';

describe('assurance', () => {
  it('[checklist 16] password + SMS gives the standard level with amr pwd, sms, mfa', () => {
    expect(assurance(['pwd', 'sms'])).toEqual({ acr: ACR.standard, amr: ['pwd', 'sms', 'mfa'] });
  });

  it('[checklist 12] password + e-mail code gives only the basic level', () => {
    expect(assurance(['pwd', 'email'])).toEqual({ acr: ACR.basic, amr: ['pwd', 'otp'] });
  });

  it('[checklist 16] never claims a level that the factors do not prove', () => {
    expect(assurance([])).toBeUndefined();
    expect(assurance(['pwd'])).toBeUndefined();
    expect(assurance(['sms'])).toBeUndefined();
    expect(assurance(['email'])).toBeUndefined();
    expect(assurance(['sms', 'email'])).toBeUndefined();
    // a name no factor module registers proves nothing
    expect(assurance(['pwd', 'fido-u2f'])).toBeUndefined();
  });

  it('[checklist 16] the strongest second factor decides, whatever the order they were proven in', () => {
    expect(assurance(['pwd', 'email', 'sms'])).toEqual({ acr: ACR.standard, amr: ['pwd', 'sms', 'mfa'] });
    expect(assurance(['sms', 'pwd'])).toEqual({ acr: ACR.standard, amr: ['pwd', 'sms', 'mfa'] });
  });
});

describe('nextStep', () => {
  const all = ['pwd', 'sms', 'email'] as const;

  it('starts with the password', () => {
    expect(nextStep({ proven: [], required: ACR.basic, held: [...all] })).toEqual({
      step: 'factor',
      offered: ['pwd'],
    });
  });

  it('[checklist 12] after the password, SMS first and e-mail only when the client accepts the basic level', () => {
    expect(nextStep({ proven: ['pwd'], required: ACR.basic, held: [...all] })).toEqual({
      step: 'factor',
      offered: ['sms', 'email'],
    });
    expect(nextStep({ proven: ['pwd'], required: ACR.standard, held: [...all] })).toEqual({
      step: 'factor',
      offered: ['sms'],
    });
    // no address on file: no e-mail page
    expect(nextStep({ proven: ['pwd'], required: ACR.basic, held: ['pwd', 'sms'] })).toEqual({
      step: 'factor',
      offered: ['sms'],
    });
  });

  it('[checklist 16] a level nobody can reach yet (high) is not faked: the strongest factor held is offered', () => {
    expect(nextStep({ proven: ['pwd'], required: ACR.high, held: [...all] })).toEqual({
      step: 'factor',
      offered: ['sms'],
    });
    expect(nextStep({ proven: ['pwd', 'sms'], required: ACR.high, held: [...all] })).toEqual({
      step: 'done',
      acr: ACR.standard,
      amr: ['pwd', 'sms', 'mfa'],
    });
  });

  it('[checklist 16] a code completes the login with the acr and amr the factors give', () => {
    expect(nextStep({ proven: prove(['pwd'], 'sms'), required: ACR.standard, held: [...all] })).toEqual({
      step: 'done',
      acr: ACR.standard,
      amr: ['pwd', 'sms', 'mfa'],
    });
    expect(nextStep({ proven: prove(['pwd'], 'email'), required: ACR.basic, held: [...all] })).toEqual({
      step: 'done',
      acr: ACR.basic,
      amr: ['pwd', 'otp'],
    });
  });

  it('[checklist 12] an e-mail code where the standard level is needed leads on to SMS, not to a login', () => {
    expect(nextStep({ proven: ['pwd', 'email'], required: ACR.standard, held: [...all] })).toEqual({
      step: 'factor',
      offered: ['sms'],
    });
  });
});

describe('factor modules', () => {
  it('[checklist 16] keep the acr URNs and RFC 8176 amr values relying parties know', () => {
    expect(FACTORS.map((f) => [f.name, f.amr, f.role, 'level' in f ? f.level : undefined])).toEqual([
      ['pwd', ['pwd'], 'first', undefined],
      ['passkey-bound', ['hwk', 'user'], 'second', 'urn:hawiya:acr:high'],
      ['passkey', ['swk', 'user'], 'second', 'urn:hawiya:acr:standard'],
      ['totp', ['otp'], 'second', 'urn:hawiya:acr:standard'],
      ['sms', ['sms'], 'second', 'urn:hawiya:acr:standard'],
      ['email', ['otp'], 'second', 'urn:hawiya:acr:basic'],
      ['recovery', ['otp'], 'second', 'urn:hawiya:acr:standard'],
    ]);
    expect(FACTORS.filter((f) => f.phishingResistant).map((f) => f.name)).toEqual([
      'passkey-bound',
      'passkey',
    ]);
  });

  it('[checklist 13] after a password, the authenticator app is offered before SMS; a recovery code never by default', () => {
    const step = nextStep({
      proven: ['pwd'],
      required: ACR.standard,
      held: ['pwd', 'sms', 'totp', 'recovery'],
    });
    expect(step).toEqual({ step: 'factor', offered: ['totp', 'sms', 'recovery'] });
    expect(assurance(['pwd', 'totp'])).toEqual({ acr: ACR.standard, amr: ['pwd', 'otp', 'mfa'] });
    expect(assurance(['pwd', 'recovery'])).toEqual({ acr: ACR.standard, amr: ['pwd', 'otp', 'mfa'] });
    expect(nextStep({ proven: ['pwd'], required: ACR.high, held: ['pwd', 'sms', 'totp'] })).toEqual({
      step: 'factor',
      offered: ['totp', 'sms'],
    });
  });

  it('[checklist 15] a passkey completes a login alone (mfa); only a device-bound one gives high', () => {
    expect(assurance(['passkey-bound'])).toEqual({ acr: ACR.high, amr: ['hwk', 'user', 'mfa'] });
    expect(assurance(['passkey'])).toEqual({ acr: ACR.standard, amr: ['swk', 'user', 'mfa'] });
    expect(assurance(['pwd', 'passkey-bound'])).toEqual({
      acr: ACR.high,
      amr: ['pwd', 'hwk', 'user', 'mfa'],
    });
    expect(assurance(['sms'])).toBeUndefined();
  });

  it('[checklist 15] after a password a held device-bound passkey is what reaches high', () => {
    const held = ['pwd', 'passkey-bound', 'passkey', 'sms', 'email'] as const;
    expect(nextStep({ proven: ['pwd'], required: ACR.high, held: [...held] })).toEqual({
      step: 'factor',
      offered: ['passkey-bound'],
    });
    expect(nextStep({ proven: ['pwd'], required: ACR.standard, held: [...held] })).toEqual({
      step: 'factor',
      offered: ['passkey-bound', 'passkey', 'sms'],
    });
  });

  it('prove adds a factor once', () => {
    expect(prove(['pwd'], 'sms')).toEqual(['pwd', 'sms']);
    expect(prove(['pwd', 'sms'], 'sms')).toEqual(['pwd', 'sms']);
  });
});

describe('afterPasswordStep', () => {
  it('a person with the password and the mobile only: an SMS code is asked for', () => {
    const { tx, ask } = afterPasswordStep({ accountId: 'a', required: ACR.standard, held: ['pwd', 'sms'] });
    expect(ask).toBe('code');
    expect(tx).toMatchObject({ accountId: 'a', factors: ['pwd'], channel: 'sms', passkeyOnly: false });
  });

  it('a level no held factor reaches is refused before any code is sent', () => {
    expect(() => afterPasswordStep({ accountId: 'a', required: ACR.high, held: ['pwd', 'sms'] })).toThrow(
      'level_unreachable',
    );
  });
});
