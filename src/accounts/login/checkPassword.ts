import type { Knex } from 'knex';
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

/** What a login does once the password is right: its decision, and the writes that go with it. */
export interface AfterPassword<T> {
  result: T;
  /** written in one transaction with the password's audit record and the end of its hold: one commit */
  writes(trx: Knex): Promise<void>;
}

/** The password factor: unknown people and wrong passwords get the same error, after the same work. */
export function createCheckPassword(deps: {
  db: Knex;
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

  /**
   * The password; when right, `next` decides what follows (its reads run while the account is held) and
   * its writes are committed with the password's own.
   */
  return async function checkPassword<T>(
    input: {
      identifier: string;
      password: string;
      meta: RequestMeta;
    },
    next: (start: LoginStart) => Promise<AfterPassword<T>>,
  ): Promise<T> {
    const identifier = input.identifier.trim().slice(0, 64);
    const found = await findForLogin(identifier);
    const subject = found ? found.id : canonicalIdentifier(identifier).value;
    // The address's attempt (IP_LIMIT) is counted in the commit that takes the hold.
    const byAddress = deps.limits.counted('login', input.meta.ip);
    return throttle.audited(input.meta, found?.id, () =>
      throttle.oneAtATime(
        subject,
        async (hold) => {
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
            await throttle.refuseFactor(account, input.meta, {
              event: 'login_password_failed',
              factor: 'pwd',
            });
            throw new BadCredentials();
          }
          if (person.status !== 'living') throw new AccountDisabled();
          throttle.gate(account);
          if (deps.hasher.needsRehash(account.passwordHash)) {
            await repo.setPasswordHash(account.id, await deps.hasher.hash(input.password));
          }
          const passwordOk = {
            event: 'login_password_ok',
            accountId: account.id,
            ...who(input.meta),
            factor: 'pwd',
          } as const;
          let after: AfterPassword<T>;
          try {
            after = await next({ account, person });
          } catch (err) {
            await deps.audit.record(passwordOk);
            throw err;
          }
          let committed = false;
          try {
            await deps.db.transaction(async (trx) => {
              await deps.audit.record(passwordOk, trx);
              await hold.release(trx);
              await after.writes(trx);
            });
            committed = true;
          } finally {
            // the writes refused (a code asked for too soon): the right password is still recorded
            if (!committed) await deps.audit.record(passwordOk);
          }
          return after.result;
        },
        byAddress,
      ),
    );
  };
}

export type CheckPassword = ReturnType<typeof createCheckPassword>;
