import { describe, expect, it } from 'vitest';
import type { Notifier } from '../notify/index.js';
import type { Otp } from '../otp/index.js';
import type { RegistryPerson, RegistryRepo } from '../registry/index.js';
import type { AuditEntry } from '../shared/audit.js';
import type { Account } from './accountsRepo.js';
import { createAfterAnswer } from './afterAnswer.js';
import { createCodeDelivery } from './codeDelivery.js';

const person: RegistryPerson = {
  nationalId: '1000000008',
  idType: 'citizen',
  givenNameAr: 'خالد',
  familyNameAr: 'الحربي',
  givenNameEn: 'Khalid',
  familyNameEn: 'Al-Harbi',
  birthDate: '1990-05-17',
  sex: 'M',
  status: 'living',
  mobile: '0591234567',
  email: 'registry@example.com',
  updatedAt: 0,
};

const account = { id: 'acct-1', nationalId: person.nationalId, email: null } as Account;

/** Code delivery with a fake sender (that fails on demand), a fake registry and an audit in memory. */
function setup(opts: { failing?: boolean; email?: string | null } = {}) {
  const sent: { kind: 'sms' | 'email'; to: string }[] = [];
  const audited: AuditEntry[] = [];
  const send = async (kind: 'sms' | 'email', to: string) => {
    if (opts.failing) throw new Error('gateway down');
    sent.push({ kind, to });
  };
  const notifier = {
    sendSms: (m: { to: string }) => send('sms', m.to),
    sendEmail: (m: { to: string }) => send('email', m.to),
  } as unknown as Notifier;
  const registry = {
    find: async () => ({ ...person, email: opts.email === undefined ? person.email : opts.email }),
  } as unknown as RegistryRepo;
  const afterAnswer = createAfterAnswer();
  const delivery = createCodeDelivery({
    otp: {} as Otp,
    registry,
    notifier,
    audit: { record: async (e) => void audited.push(e) },
    codeMessage: () => () => ({ subject: 's', text: 't' }),
    noticeMessage: () => ({ subject: 's', text: 't' }),
    afterAnswer,
  });
  return { delivery, sent, audited, afterAnswer };
}

const meta = { ip: '192.0.2.1', userAgent: 'test', requestId: 'r1' };

describe('notices', () => {
  it('[checklist 21] a changed password is told by e-mail when there is an address, else by SMS to the registry mobile', async () => {
    const withEmail = setup();
    await withEmail.delivery.notifyPasswordChanged(account, 'ar', meta);
    expect(withEmail.sent).toEqual([{ kind: 'email', to: 'registry@example.com' }]);

    const smsOnly = setup({ email: null });
    await smsOnly.delivery.notifyPasswordChanged(account, 'ar', meta);
    expect(smsOnly.sent).toEqual([{ kind: 'sms', to: person.mobile }]);
  });

  it('[checklist 8] a notice goes after the answer: nothing is sent until the request is done', async () => {
    const { delivery, sent, afterAnswer } = setup();
    delivery.notifyPerson({
      nationalId: person.nationalId,
      kind: 'already_registered',
      locale: 'ar',
      meta,
      sms: true,
    });
    expect(sent).toEqual([]);
    await afterAnswer.idle();
    expect(sent).toEqual([{ kind: 'sms', to: person.mobile }]);
  });

  it('[checklist 43] a notice that cannot be delivered is audited, not shown as a failure', async () => {
    const { delivery, audited, afterAnswer } = setup({ failing: true });
    await delivery.notifyPasswordChanged(account, 'ar', meta);
    delivery.notifyPerson({
      nationalId: person.nationalId,
      account,
      kind: 'account_disabled',
      locale: 'ar',
      meta,
    });
    await afterAnswer.idle();
    expect(audited.map((e) => [e.event, e.factor, e.details?.purpose, e.ip])).toEqual([
      ['code_delivery_failed', 'email', 'password_changed_notice', meta.ip],
      ['code_delivery_failed', 'email', 'account_disabled_notice', meta.ip],
    ]);
  });
});
