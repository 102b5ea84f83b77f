import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { FlowsRepo } from '../../flows/flowsRepo.js';
import { newFlowHandle } from '../../flows/flowsRepo.js';
import type { Otp } from '../../otp/index.js';
import type { RegistryRepo } from '../../registry/index.js';
import type { Audit } from '../../shared/audit.js';
import type { Clock } from '../../shared/clock.js';
import { CodeExpired, checkAll, InvalidInput } from '../../shared/errors.js';
import type { Locale } from '../accountsDeps.js';
import type { Account, AccountsRepo } from '../accountsRepo.js';
import type { AttemptLimits } from '../attemptLimits.js';
import type { CodeDelivery } from '../codeDelivery.js';
import type { PasswordHasher } from '../passwordHasher.js';
import {
  checkedDate,
  checkedEmail,
  checkedId,
  checkedNewPassword,
  RegistrationMismatch,
} from '../personInputs.js';
import { type RequestMeta, who } from '../requestMeta.js';
import { parseUsername } from '../username.js';

interface RegistrationFlow {
  /**
   * no code is sent (the details match no living person without an account): it looks and answers the
   * same as a real registration, and no code of it is ever accepted
   */
  decoy?: boolean;
  /** this ID's 6-digit codes are blocked: the flow's codes are long ones */
  long?: boolean;
  tx: string;
  nationalId: string;
  username: string;
  passwordHash: string;
  email: string | null;
  returnTo: string | null;
}

/** Registration: the details checked against the registry, then the code from the registry's mobile. */
export function createRegistration(deps: {
  db: Knex;
  repo: AccountsRepo;
  registry: RegistryRepo;
  flows: FlowsRepo;
  otp: Otp;
  hasher: PasswordHasher;
  audit: Audit;
  clock: Clock;
  delivery: CodeDelivery;
  limits: AttemptLimits;
  /** how long a registration journey lives, seconds */
  flowTtlSeconds: number;
}) {
  const { repo, limits } = deps;
  return {
    /**
     * Step 1. Whatever the registry and the accounts say, the answer is the same: the code step
     * (checklist 8). The outcome is told only through the registry's mobile: the activation code when the
     * details match a living person without an account; a notice "you already have an account" when they
     * match a person with one; nothing otherwise. A taken username is told after the right code.
     */
    async start(input: {
      nationalId: string;
      birthDate: string;
      username: string;
      password: string;
      email?: string;
      locale: Locale;
      returnTo?: string | null;
      meta: RequestMeta;
    }): Promise<{ handle: string }> {
      // every problem of the form at once, each beside its field
      const orRaw = <T>(check: () => T, raw: T): T => {
        try {
          return check();
        } catch {
          return raw;
        }
      };
      const [nationalId, birthDate, username, , email] = checkAll(
        () => checkedId(input.nationalId),
        () => checkedDate(input.birthDate),
        () => parseUsername(input.username),
        () =>
          checkedNewPassword({
            password: input.password,
            username: orRaw(() => parseUsername(input.username), input.username),
            nationalId: orRaw(() => checkedId(input.nationalId), input.nationalId),
          }),
        () => checkedEmail(input.email),
      );
      await limits.limited({ action: 'register', by: 'ip' }, input.meta.ip, input.meta);
      await limits.limited({ action: 'register', by: 'nid' }, nationalId, input.meta);

      const person = await deps.registry.find(nationalId);
      const existing = await repo.findByNationalId(nationalId);
      const matches = person?.birthDate === birthDate && person.status === 'living';
      const outcome = !matches ? 'no_match' : existing ? 'has_account' : 'code';
      const handle = newFlowHandle();
      const flow: RegistrationFlow = {
        tx: randomBytes(18).toString('base64url'),
        nationalId,
        username,
        // hashed on every path: the same work whoever asked
        passwordHash: await deps.hasher.hash(input.password),
        email,
        returnTo: input.returnTo ?? null,
      };
      if (outcome !== 'code') flow.decoy = true;
      flow.long = await limits.codesBlocked(nationalId);
      // The flow first, then its code: a crash between leaves a flow whose code can be resent, never a
      // code that belongs to nothing.
      await deps.flows.save('register', handle, flow, deps.flowTtlSeconds);
      await deps.delivery.issueFlowCode({
        purpose: 'activation',
        tx: flow.tx,
        subject: nationalId,
        nationalId,
        to: outcome === 'code' && person ? person.mobile : null,
        long: flow.long,
        locale: input.locale,
        meta: input.meta,
      });
      await deps.audit.record({
        event: outcome === 'code' ? 'registration_started' : 'registration_rejected',
        nationalId,
        ...who(input.meta),
        details: outcome === 'code' ? {} : { why: outcome },
      });
      if (outcome === 'has_account')
        deps.delivery.notifyPerson({
          nationalId,
          account: existing,
          kind: 'already_registered',
          locale: input.locale,
          meta: input.meta,
          sms: true,
        });
      return { handle };
    },

    /** What the code page shows: whether the codes are long ones, and where to go back to. */
    async state(handle: string | undefined): Promise<{ long: boolean; returnTo: string | null }> {
      const flow = await deps.flows.get<RegistrationFlow>('register', handle);
      return { long: flow.long === true, returnTo: flow.returnTo };
    },

    /** A new activation code, to the same registry mobile, after the wait. */
    async resend(input: { handle: string | undefined; locale: Locale; meta: RequestMeta }): Promise<void> {
      const flow = await deps.flows.get<RegistrationFlow>('register', input.handle);
      await limits.limited({ action: 'register', by: 'nid' }, flow.nationalId, input.meta);
      const person = flow.decoy ? undefined : await deps.registry.find(flow.nationalId);
      const long = await limits.codesBlocked(flow.nationalId);
      await deps.delivery.issueFlowCode({
        purpose: 'activation',
        tx: flow.tx,
        subject: flow.nationalId,
        nationalId: flow.nationalId,
        to: person?.mobile ?? null,
        long,
        locale: input.locale,
        meta: input.meta,
      });
      await deps.flows.update('register', input.handle as string, { ...flow, long });
    },

    /** Step 2: the right code makes the account, active at once. */
    async activate(input: {
      handle: string | undefined;
      code: string;
      meta: RequestMeta;
    }): Promise<{ account: Account; returnTo: string | null }> {
      const flow = await deps.flows.get<RegistrationFlow>('register', input.handle);
      await limits.verifyCounted(flow, input.meta, () =>
        deps.otp.verify({ purpose: 'activation', binding: flow.tx, code: input.code }),
      );
      // A decoy's code reached no one: even a lucky guess makes nothing.
      if (flow.decoy) throw new CodeExpired();
      // Only the holder of the registry's mobile gets this far: telling them the username is taken is safe.
      if (await repo.findByUsername(flow.username))
        throw new InvalidInput('username_taken_register_again', 'code');
      const now = deps.clock.now();
      const account: Account = {
        id: randomUUID(),
        nationalId: flow.nationalId,
        username: flow.username,
        passwordHash: flow.passwordHash,
        email: flow.email,
        status: 'active',
        failedLogins: 0,
        lockedUntil: null,
        createdAt: now,
        activatedAt: now,
        passwordChangedAt: now,
        locale: null,
      };
      try {
        await deps.db.transaction(async (trx) => {
          await repo.insert(account, trx);
          await deps.flows.remove(input.handle as string, trx);
        });
      } catch {
        // Someone registered the same ID or username meanwhile: the unique constraints said no.
        throw new RegistrationMismatch();
      }
      await deps.audit.record({
        event: 'account_activated',
        accountId: account.id,
        nationalId: account.nationalId,
        ...who(input.meta),
        factor: 'sms',
      });
      return { account, returnTo: flow.returnTo };
    },
  };
}

export type Registration = ReturnType<typeof createRegistration>;
