import type { Knex } from 'knex';
import type { Otp, OtpChannel } from '../../otp/index.js';
import type { RegistryPerson, RegistryRepo } from '../../registry/index.js';
import type { Audit } from '../../shared/audit.js';
import { BadCredentials, HawiyaError, InvalidInput } from '../../shared/errors.js';
import { maskEmail, maskPhone } from '../../shared/logger.js';
import type { Locale } from '../accountsDeps.js';
import type { Account, AccountsRepo } from '../accountsRepo.js';
import type { CodeDelivery } from '../codeDelivery.js';
import type { RequestMeta } from '../requestMeta.js';
import type { LoginThrottle } from './loginThrottle.js';

/** The code factors (SMS, e-mail): a code bound to the login transaction, and its check. */
export function createLoginCodes(deps: {
  db: Knex;
  repo: AccountsRepo;
  registry: RegistryRepo;
  otp: Otp;
  audit: Audit;
  delivery: CodeDelivery;
  throttle: LoginThrottle;
}) {
  const { repo, throttle } = deps;

  /** The code request for a login of this account, to an address on file (never a typed one), and that address masked. */
  function loginCodeOf(
    account: Account,
    person: RegistryPerson,
    input: { tx: string; channel: OtpChannel; locale: Locale; meta: RequestMeta },
  ) {
    throttle.gate(account);
    // The address on the account, else the registry's (both belong to the person; neither is typed now).
    const to = input.channel === 'sms' ? person.mobile : (account.email ?? person.email);
    if (!to) throw new InvalidInput('no_email_on_file');
    return {
      maskedTo: input.channel === 'sms' ? maskPhone(to) : maskEmail(to),
      request: {
        purpose: 'login' as const,
        tx: input.tx,
        subject: account.id,
        channel: input.channel,
        to,
        locale: input.locale,
        meta: input.meta,
        accountId: account.id,
      },
    };
  }

  return {
    /** Sends a login code bound to this login transaction, to an address on file (never a typed one). */
    async send(input: {
      accountId: string;
      tx: string;
      channel: OtpChannel;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<{ maskedTo: string; resendAt: number }> {
      const account = await repo.findById(input.accountId);
      const person = account ? await deps.registry.find(account.nationalId) : undefined;
      if (!account || !person) throw new BadCredentials();
      const code = loginCodeOf(account, person, input);
      const issued = await deps.delivery.sendCode(code.request);
      return { maskedTo: code.maskedTo, resendAt: issued.resendAt };
    },

    /**
     * Stores a login code for a password just checked, in the caller's transaction; `send` delivers it
     * once that has committed (as `send` above, without reading the account and person again).
     */
    async store(
      input: {
        account: Account;
        person: RegistryPerson;
        tx: string;
        channel: OtpChannel;
        locale: Locale;
        meta: RequestMeta;
      },
      trx: Knex,
    ): Promise<{ maskedTo: string; send(): Promise<void> }> {
      const code = loginCodeOf(input.account, input.person, input);
      const stored = await deps.delivery.storeCode(code.request, trx);
      return { maskedTo: code.maskedTo, send: stored.send };
    },

    /**
     * The code of this login transaction; a wrong one counts as a failure of the account's login. A right
     * one is used, the account's failures cleared and its hold released in one transaction with `finish`'s
     * own writes: one commit.
     */
    async verify<T>(
      input: {
        accountId: string;
        tx: string;
        code: string;
        meta: RequestMeta;
      },
      finish: (done: { account: Account; channel: OtpChannel }, trx: Knex) => Promise<T>,
    ): Promise<T> {
      return throttle.audited(input.meta, input.accountId, () =>
        throttle.oneAtATime(input.accountId, async (hold) => {
          const account = await repo.findById(input.accountId);
          if (!account) throw new BadCredentials();
          throttle.gate(account);
          // finish's own failures are not the code's: they are not counted below
          let finishing = false;
          try {
            const checked = await deps.otp.check({ purpose: 'login', binding: input.tx, code: input.code });
            if (checked.subject !== account.id) throw new BadCredentials();
            return await deps.db.transaction(async (trx) => {
              await checked.consume(trx);
              if (account.failedLogins > 0 || account.lockedUntil !== null)
                await repo.clearFailures(account.id, trx);
              await hold.release(trx);
              finishing = true;
              return finish({ account, channel: checked.channel }, trx);
            });
          } catch (err) {
            if (!finishing && err instanceof HawiyaError && err.code !== 'bad_credentials') {
              await throttle.refuseFactor(account, input.meta, {
                event: 'login_code_failed',
                factor: 'otp',
                details: { reason: err.code },
              });
            }
            throw err;
          }
        }),
      );
    },
  };
}

export type LoginCodes = ReturnType<typeof createLoginCodes>;
