import type { RegistryPerson, RegistryRepo } from '../../registry/index.js';
import type { Audit } from '../../shared/audit.js';
import { AccountDisabled, BadCredentials } from '../../shared/errors.js';
import type { Account, AccountsRepo } from '../accountsRepo.js';
import type { AttemptLimits } from '../attemptLimits.js';
import type { PasswordHasher } from '../passwordHasher.js';
import { type RequestMeta, who } from '../requestMeta.js';
import { canonicalIdentifier } from './canonicalIdentifier.js';
import type { LoginThrottle } from './loginThrottle.js';

export interface LoginStart {
  account: Account;
  person: RegistryPerson;
}

/** The password factor: unknown people and wrong passwords get the same error, after the same work. */
export function createCheckPassword(deps: {
  repo: AccountsRepo;
  registry: RegistryRepo;
  hasher: PasswordHasher;
  audit: Audit;
  limits: AttemptLimits;
  throttle: LoginThrottle;
}) {
  const { repo, throttle } = deps;

  async function findForLogin(identifier: string): Promise<Account | undefined> {
    const canonical = canonicalIdentifier(identifier);
    if (canonical.kind === 'nid') return repo.findByNationalId(canonical.value);
    if (canonical.kind === 'username') return repo.findByUsername(canonical.value);
    return undefined;
  }

  return async function checkPassword(input: {
    identifier: string;
    password: string;
    meta: RequestMeta;
  }): Promise<LoginStart> {
    await deps.limits.limited({ action: 'login', by: 'ip' }, input.meta.ip, input.meta);
    const identifier = input.identifier.trim().slice(0, 64);
    const found = await findForLogin(identifier);
    const subject = found ? found.id : canonicalIdentifier(identifier).value;
    return throttle.audited(input.meta, found?.id, () =>
      throttle.oneAtATime(subject, async () => {
        const account = found ? await repo.findById(found.id) : undefined;
        const person = account ? await deps.registry.find(account.nationalId) : undefined;
        if (!account || !person) {
          await throttle.unknownFailure(canonicalIdentifier(identifier).value, input.password);
          await deps.audit.record({
            event: 'login_password_failed',
            ...who(input.meta),
            factor: 'pwd',
            details: { known: false },
          });
          throw new BadCredentials();
        }
        throttle.gate(account, { passwordChecked: false });
        const ok = await deps.hasher.verify(account.passwordHash, input.password);
        if (!ok) {
          await throttle.registerFailure(account, input.meta, 'pwd');
          await deps.audit.record({
            event: 'login_password_failed',
            accountId: account.id,
            ...who(input.meta),
            factor: 'pwd',
          });
          throw new BadCredentials();
        }
        if (person.status !== 'living') throw new AccountDisabled();
        throttle.gate(account);
        if (deps.hasher.needsRehash(account.passwordHash)) {
          await repo.setPasswordHash(account.id, await deps.hasher.hash(input.password));
        }
        await deps.audit.record({
          event: 'login_password_ok',
          accountId: account.id,
          ...who(input.meta),
          factor: 'pwd',
        });
        return { account, person };
      }),
    );
  };
}

export type CheckPassword = ReturnType<typeof createCheckPassword>;
