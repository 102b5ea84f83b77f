import type { Knex } from 'knex';
import type { Notifier } from '../notify/index.js';
import type { Otp, OtpChannel } from '../otp/index.js';
import type { RegistryRepo } from '../registry/index.js';
import type { Audit } from '../shared/audit.js';
import { HawiyaError } from '../shared/errors.js';
import type { CodeMessage, Locale, NoticeKind, NoticeMessage } from './accountsDeps.js';
import type { Account } from './accountsRepo.js';
import type { AfterAnswer } from './afterAnswer.js';
import { type RequestMeta, who } from './requestMeta.js';

/** Codes and notices on their way to the person, each recorded in the audit trail (checklist 43). */
export function createCodeDelivery(deps: {
  otp: Otp;
  registry: RegistryRepo;
  notifier: Notifier;
  audit: Audit;
  codeMessage: CodeMessage;
  noticeMessage: NoticeMessage;
  afterAnswer: AfterAnswer;
}) {
  function recordCode(
    event: 'code_sent' | 'code_delivery_failed',
    opts: {
      purpose: string;
      channel: OtpChannel;
      meta: RequestMeta;
      accountId?: string;
      nationalId?: string;
    },
  ): Promise<void> {
    return deps.audit.record({
      event,
      accountId: opts.accountId,
      nationalId: opts.nationalId,
      ...who(opts.meta),
      factor: opts.channel,
      details: { purpose: opts.purpose },
    });
  }

  interface CodeRequest {
    purpose: 'activation' | 'login' | 'reset';
    tx: string;
    subject: string;
    channel: OtpChannel;
    to: string;
    locale: Locale;
    meta: RequestMeta;
    accountId?: string;
    nationalId?: string;
  }

  /** A login code, sent before the answer: the person is told at once when the gateway fails. */
  async function sendCode(opts: CodeRequest): Promise<{ resendAt: number }> {
    const stored = await storeCode(opts);
    await stored.send();
    return { resendAt: stored.resendAt };
  }

  /**
   * A login code stored (in the caller's transaction, with its other writes: one commit, when `trx` is
   * given); `send` then delivers it before the answer, audited. An undelivered code is forgotten.
   */
  async function storeCode(
    opts: CodeRequest,
    trx?: Knex,
  ): Promise<{ resendAt: number; send(): Promise<void> }> {
    const issued = await deps.otp.issue(
      {
        purpose: opts.purpose,
        binding: opts.tx,
        subject: opts.subject,
        channel: opts.channel,
        to: opts.to,
        deliver: 'later',
        message: deps.codeMessage(opts.purpose, opts.locale),
      },
      trx,
    );
    return {
      resendAt: issued.resendAt,
      async send() {
        try {
          await issued.deliver?.();
        } catch (err) {
          if (err instanceof HawiyaError && err.code === 'delivery_failed')
            await recordCode('code_delivery_failed', opts);
          throw err;
        }
        await recordCode('code_sent', opts);
      },
    };
  }

  /**
   * An activation or reset code, the same work whoever asked: the code is stored for a real request and a
   * decoy alike, and sent (to the registry's mobile) after the answer, so neither the answer nor its time
   * tells whether a person has an account or typed the right birth date (checklist 8). An undelivered code
   * is forgotten, so "send a new code" works at once. While the ID's 6-digit codes are blocked, the code is
   * a long one (`long`): whoever holds the registry's mobile can still recover (checklist 7).
   */
  async function issueFlowCode(opts: {
    purpose: 'activation' | 'reset';
    tx: string;
    subject: string;
    nationalId: string;
    /** the registry's mobile; null for a decoy (nothing is sent) */
    to: string | null;
    long: boolean;
    locale: Locale;
    meta: RequestMeta;
    accountId?: string;
  }): Promise<void> {
    const issued = await deps.otp.issue({
      purpose: opts.purpose,
      binding: opts.tx,
      subject: opts.subject,
      channel: 'sms',
      to: opts.to ?? '',
      long: opts.long,
      deliver: opts.to ? 'later' : false,
      message: deps.codeMessage(opts.purpose, opts.locale),
    });
    const deliver = issued.deliver;
    if (deliver) {
      const audited = { ...opts, channel: 'sms' as const };
      deps.afterAnswer.later(async () => {
        try {
          await deliver();
          await recordCode('code_sent', audited);
        } catch {
          await recordCode('code_delivery_failed', audited);
        }
      });
    }
  }

  /**
   * A notice to the person, sent after the answer: by e-mail when there is an address (the account's, else
   * the registry's), else by SMS to the registry's mobile. A lost notice is recorded, not shown.
   */
  function notifyPerson(opts: {
    nationalId: string;
    account?: Account;
    kind: NoticeKind;
    locale: Locale;
    meta: RequestMeta;
    /** SMS to the registry's mobile even when there is an e-mail address */
    sms?: boolean;
  }): void {
    deps.afterAnswer.later(async () => {
      const person = await deps.registry.find(opts.nationalId);
      if (person?.status !== 'living') return;
      const email = opts.sms ? null : (opts.account?.email ?? person.email ?? null);
      const msg = deps.noticeMessage(opts.kind, opts.locale);
      try {
        if (email) await deps.notifier.sendEmail({ to: email, subject: msg.subject, text: msg.text });
        else await deps.notifier.sendSms({ to: person.mobile, text: msg.text });
      } catch {
        await deps.audit.record({
          event: 'code_delivery_failed',
          accountId: opts.account?.id,
          nationalId: opts.nationalId,
          ...who(opts.meta),
          factor: email ? 'email' : 'sms',
          details: { purpose: `${opts.kind}_notice` },
        });
      }
    });
  }

  /** The reset code went by SMS: the notice goes by e-mail when there is an address, else by SMS. */
  async function notifyPasswordChanged(account: Account, locale: Locale, meta: RequestMeta): Promise<void> {
    const person = await deps.registry.find(account.nationalId);
    const email = account.email ?? person?.email ?? null;
    const msg = deps.noticeMessage('password_changed', locale);
    try {
      if (email) await deps.notifier.sendEmail({ to: email, subject: msg.subject, text: msg.text });
      else if (person) await deps.notifier.sendSms({ to: person.mobile, text: msg.text });
    } catch {
      // The password is changed either way; a lost notice is recorded, not shown as a failure.
      await deps.audit.record({
        event: 'code_delivery_failed',
        accountId: account.id,
        ...who(meta),
        factor: email ? 'email' : 'sms',
        details: { purpose: 'password_changed_notice' },
      });
    }
  }

  return { sendCode, storeCode, issueFlowCode, notifyPerson, notifyPasswordChanged };
}

export type CodeDelivery = ReturnType<typeof createCodeDelivery>;
