import type { Otp, OtpChannel } from '../../otp/index.js';
import type { RegistryRepo } from '../../registry/index.js';
import type { Audit } from '../../shared/audit.js';
import { BadCredentials, HawiyaError, InvalidInput } from '../../shared/errors.js';
import { maskEmail, maskPhone } from '../../shared/logger.js';
import type { Locale } from '../accountsDeps.js';
import type { AccountsRepo } from '../accountsRepo.js';
import type { CodeDelivery } from '../codeDelivery.js';
import { type RequestMeta, who } from '../requestMeta.js';
import type { LoginThrottle } from './loginThrottle.js';

/** The code factors (SMS, e-mail): a code bound to the login transaction, and its check. */
export function createLoginCodes(deps: {
  repo: AccountsRepo;
  registry: RegistryRepo;
  otp: Otp;
  audit: Audit;
  delivery: CodeDelivery;
  throttle: LoginThrottle;
}) {
  const { repo, throttle } = deps;
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
      throttle.gate(account);
      // The address on the account, else the registry's (both belong to the person; neither is typed now).
      const to = input.channel === 'sms' ? person.mobile : (account.email ?? person.email);
      if (!to) throw new InvalidInput('no_email_on_file');
      const issued = await deps.delivery.sendCode({
        purpose: 'login',
        tx: input.tx,
        subject: account.id,
        channel: input.channel,
        to,
        locale: input.locale,
        meta: input.meta,
        accountId: account.id,
      });
      return { maskedTo: input.channel === 'sms' ? maskPhone(to) : maskEmail(to), resendAt: issued.resendAt };
    },

    /** The code of this login transaction; a wrong one counts as a failure of the account's login. */
    async verify(input: {
      accountId: string;
      tx: string;
      code: string;
      meta: RequestMeta;
    }): Promise<{ channel: OtpChannel }> {
      return throttle.audited(input.meta, input.accountId, () =>
        throttle.oneAtATime(input.accountId, async () => {
          const account = await repo.findById(input.accountId);
          if (!account) throw new BadCredentials();
          throttle.gate(account);
          try {
            const r = await deps.otp.verify({ purpose: 'login', binding: input.tx, code: input.code });
            if (r.subject !== account.id) throw new BadCredentials();
            await repo.clearFailures(account.id);
            return { channel: r.channel };
          } catch (err) {
            if (err instanceof HawiyaError && err.code !== 'bad_credentials') {
              await throttle.registerFailure(account, input.meta, 'otp');
              await deps.audit.record({
                event: 'login_code_failed',
                accountId: account.id,
                ...who(input.meta),
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
