import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { FlowsRepo } from '../../flows/flowsRepo.js';
import { newFlowHandle } from '../../flows/flowsRepo.js';
import type { Otp } from '../../otp/index.js';
import type { RegistryRepo } from '../../registry/index.js';
import type { Audit } from '../../shared/audit.js';
import type { Clock } from '../../shared/clock.js';
import { CodeExpired, checkAll, InvalidInput } from '../../shared/errors.js';
import type { Locale, RevokeSessions } from '../accountsDeps.js';
import type { AccountsRepo } from '../accountsRepo.js';
import type { AttemptLimits } from '../attemptLimits.js';
import type { CodeDelivery } from '../codeDelivery.js';
import type { PasswordHasher } from '../passwordHasher.js';
import { checkedDate, checkedId, checkedNewPassword, RegistrationMismatch } from '../personInputs.js';
import { type RequestMeta, who } from '../requestMeta.js';

interface ResetFlow {
  /** a reset for someone without an account: it looks and answers the same, but no code is sent */
  decoy?: boolean;
  /** this ID's 6-digit codes are blocked: the flow's codes are long ones */
  long?: boolean;
  tx: string;
  accountId: string;
  nationalId: string;
  verified: boolean;
  returnTo: string | null;
}

/** Forgot password: national ID + birth date, a code to the registry's mobile, a new password. */
export function createPasswordReset(deps: {
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
  revokeSessions: RevokeSessions;
  /** how long a reset journey lives, seconds */
  flowTtlSeconds: number;
}) {
  const { repo, limits } = deps;
  return {
    /**
     * Step 1: national ID + birth date. One path for everyone (checklist 8): the same flow, the same code
     * step, the same writes; the code goes to the registry's mobile, after the answer, only when the
     * details match a living person with an account. The code page shows no digits of the number (a masked
     * number would differ between a real reset and a decoy).
     */
    async start(input: {
      nationalId: string;
      birthDate: string;
      locale: Locale;
      returnTo?: string | null;
      meta: RequestMeta;
    }): Promise<{ handle: string }> {
      const [nationalId, birthDate] = checkAll(
        () => checkedId(input.nationalId),
        () => checkedDate(input.birthDate),
      );
      await limits.limited({ action: 'reset', by: 'ip' }, input.meta.ip, input.meta);
      await limits.limited({ action: 'reset', by: 'nid' }, nationalId, input.meta);
      const person = await deps.registry.find(nationalId);
      const found = await repo.findByNationalId(nationalId);
      const account = person?.birthDate === birthDate && person.status === 'living' ? found : undefined;
      const handle = newFlowHandle();
      const flow: ResetFlow = {
        tx: randomBytes(18).toString('base64url'),
        accountId: account?.id ?? '',
        nationalId,
        verified: false,
        returnTo: input.returnTo ?? null,
      };
      if (!account) flow.decoy = true;
      flow.long = await limits.codesBlocked(nationalId);
      // The flow first, then its code: a crash between leaves a flow whose code can be resent, never a
      // code that belongs to nothing.
      await deps.flows.save('reset', handle, flow, deps.flowTtlSeconds);
      await deps.delivery.issueFlowCode({
        purpose: 'reset',
        tx: flow.tx,
        subject: account?.id ?? nationalId,
        nationalId,
        to: account && person ? person.mobile : null,
        long: flow.long,
        locale: input.locale,
        meta: input.meta,
        accountId: account?.id,
      });
      await deps.audit.record({
        event: 'password_reset_started',
        accountId: account?.id,
        nationalId,
        ...who(input.meta),
        details: { matched: account !== undefined },
      });
      return { handle };
    },

    /** What the reset pages show: whether the code was right, and whether the codes are long ones. */
    async state(handle: string | undefined): Promise<{ verified: boolean; long: boolean }> {
      const flow = await deps.flows.get<ResetFlow>('reset', handle);
      return { verified: flow.verified, long: flow.long === true };
    },

    async resend(input: { handle: string | undefined; locale: Locale; meta: RequestMeta }): Promise<void> {
      const flow = await deps.flows.get<ResetFlow>('reset', input.handle);
      await limits.limited({ action: 'reset', by: 'nid' }, flow.nationalId, input.meta);
      if (flow.verified) throw new RegistrationMismatch();
      const person = flow.decoy ? undefined : await deps.registry.find(flow.nationalId);
      const long = await limits.codesBlocked(flow.nationalId);
      await deps.delivery.issueFlowCode({
        purpose: 'reset',
        tx: flow.tx,
        subject: flow.decoy ? flow.nationalId : flow.accountId,
        nationalId: flow.nationalId,
        to: person?.mobile ?? null,
        long,
        locale: input.locale,
        meta: input.meta,
        accountId: flow.decoy ? undefined : flow.accountId,
      });
      await deps.flows.update('reset', input.handle as string, { ...flow, long });
    },

    /** Step 2: the code from the registry's mobile. */
    async verify(input: { handle: string | undefined; code: string; meta: RequestMeta }): Promise<void> {
      const flow = await deps.flows.get<ResetFlow>('reset', input.handle);
      await limits.verifyCounted(flow, input.meta, () =>
        deps.otp.verify({ purpose: 'reset', binding: flow.tx, code: input.code }),
      );
      // A decoy's code reached no one: even a lucky guess leads nowhere.
      if (flow.decoy) throw new CodeExpired();
      await deps.flows.update('reset', input.handle as string, { ...flow, verified: true });
    },

    /** Step 3: the new password; every session and refresh token of the person ends (checklist 24). */
    async complete(input: {
      handle: string | undefined;
      password: string;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<{ returnTo: string | null }> {
      const flow = await deps.flows.get<ResetFlow>('reset', input.handle);
      if (!flow.verified) throw new InvalidInput('code_required');
      const account = await repo.findById(flow.accountId);
      if (!account) throw new RegistrationMismatch();
      checkedNewPassword({
        password: input.password,
        username: account.username,
        nationalId: account.nationalId,
      });
      const hash = await deps.hasher.hash(input.password);
      await deps.db.transaction(async (trx) => {
        await repo.setPasswordHash(account.id, hash, deps.clock.now(), trx);
        await repo.clearFailures(account.id, trx);
        if (account.status === 'disabled') await repo.setStatus(account.id, 'active', trx);
        await deps.flows.remove(input.handle as string, trx);
      });
      const revoked = await deps.revokeSessions(account.id);
      await deps.audit.record({
        event: 'password_changed',
        accountId: account.id,
        ...who(input.meta),
        details: { via: 'reset' },
      });
      await deps.audit.record({
        event: 'sessions_revoked',
        accountId: account.id,
        ...who(input.meta),
        details: { count: revoked },
      });
      await deps.delivery.notifyPasswordChanged(account, input.locale, input.meta);
      return { returnTo: flow.returnTo };
    },
  };
}

export type PasswordReset = ReturnType<typeof createPasswordReset>;
