import type { Audit } from '../../shared/audit.js';
import type { Clock } from '../../shared/clock.js';
import { BadCredentials, InvalidInput } from '../../shared/errors.js';
import type { Locale, RevokeSessions } from '../accountsDeps.js';
import type { AccountsRepo } from '../accountsRepo.js';
import type { CodeDelivery } from '../codeDelivery.js';
import type { LoginThrottle } from '../login/loginThrottle.js';
import type { PasswordHasher } from '../passwordHasher.js';
import { checkedNewPassword } from '../personInputs.js';
import { type RequestMeta, who } from '../requestMeta.js';

/**
 * A signed-in person changes their password: the current one is required (and counted like a login
 * failure when wrong), the new one is checked by the policy, every session and token ends, and a notice
 * goes out over another channel (checklist 5, 21).
 */
export function createChangePassword(deps: {
  repo: AccountsRepo;
  hasher: PasswordHasher;
  audit: Audit;
  clock: Clock;
  throttle: LoginThrottle;
  delivery: CodeDelivery;
  revokeSessions: RevokeSessions;
}) {
  const { repo, throttle } = deps;
  return async function changePassword(input: {
    accountId: string;
    current: string;
    password: string;
    locale: Locale;
    meta: RequestMeta;
  }): Promise<void> {
    await throttle.oneAtATime(input.accountId, async () => {
      const account = await repo.findById(input.accountId);
      if (!account) throw new BadCredentials();
      throttle.gate(account);
      if (!(await deps.hasher.verify(account.passwordHash, input.current))) {
        await throttle.registerFailure(account, input.meta, 'pwd');
        throw new InvalidInput('current_password_wrong', 'current');
      }
      checkedNewPassword({
        password: input.password,
        username: account.username,
        nationalId: account.nationalId,
      });
      await repo.setPasswordHash(account.id, await deps.hasher.hash(input.password), deps.clock.now());
      await repo.clearFailures(account.id);
      const revoked = await deps.revokeSessions(account.id);
      await deps.audit.record({
        event: 'password_changed',
        accountId: account.id,
        ...who(input.meta),
        details: { via: 'account', sessionsRevoked: revoked },
      });
      await deps.delivery.notifyPasswordChanged(account, input.locale, input.meta);
    });
  };
}

export type ChangePassword = ReturnType<typeof createChangePassword>;
