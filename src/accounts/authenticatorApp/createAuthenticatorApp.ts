import type { FlowsRepo } from '../../flows/flowsRepo.js';
import type { Audit } from '../../shared/audit.js';
import type { Clock } from '../../shared/clock.js';
import { BadCredentials, FlowExpired, HawiyaError, NotFound } from '../../shared/errors.js';
import type { Locale, NoticeKind } from '../accountsDeps.js';
import type { AccountsRepo } from '../accountsRepo.js';
import type { CodeDelivery } from '../codeDelivery.js';
import type { LoginThrottle } from '../login/loginThrottle.js';
import { type RequestMeta, who } from '../requestMeta.js';
import type { AppsRepo } from './appsRepo.js';
import { newRecoveryCodes, recoveryCodeHash } from './recoveryCodes.js';
import type { RecoveryCodesRepo } from './recoveryCodesRepo.js';
import type { SecretBox } from './secretBox.js';
import { newTotpSecret, totpUri, verifyTotp } from './totpCodes.js';

/** A wrong authenticator-app code, or one already used (the person reads one message for both). */
export class AppCodeRefused extends HawiyaError {
  constructor() {
    super('app_code_wrong', 400);
  }
}

/** A wrong recovery code, or one already used. */
export class RecoveryCodeRefused extends HawiyaError {
  constructor() {
    super('recovery_code_wrong', 400);
  }
}

/** How long a started enrolment (the secret shown, no code yet) waits. */
export const ENROL_SECONDS = 600;

interface PendingEnrolment {
  accountId: string;
  sealedSecret: string;
}

/**
 * The authenticator app (TOTP) and the recovery codes of an account: enrolment confirmed by a first code,
 * removal, recovery codes (shown once, stored hashed), and the checks a login makes, under the login's
 * failure limits. Every change is audited and told over another channel (checklist 21).
 */
export function createAuthenticatorApp(deps: {
  repo: AccountsRepo;
  apps: AppsRepo;
  recoveryCodes: RecoveryCodesRepo;
  flows: FlowsRepo;
  audit: Audit;
  clock: Clock;
  box: SecretBox;
  delivery: CodeDelivery;
  throttle: LoginThrottle;
}) {
  const { apps, recoveryCodes, box, throttle } = deps;

  async function notify(accountId: string, kind: NoticeKind, locale: Locale, meta: RequestMeta) {
    const account = await deps.repo.findById(accountId);
    if (!account) return;
    // By SMS to the registry's mobile: a channel neither the app nor a recovery code answers for.
    deps.delivery.notifyPerson({ nationalId: account.nationalId, account, kind, locale, meta, sms: true });
  }

  async function issueRecoveryCodes(accountId: string, meta: RequestMeta): Promise<string[]> {
    const codes = newRecoveryCodes();
    await recoveryCodes.replace(accountId, codes.map(recoveryCodeHash), deps.clock.now());
    await deps.audit.record({
      event: 'recovery_codes_generated',
      accountId,
      ...who(meta),
      factor: 'recovery',
      details: { count: codes.length },
    });
    return codes;
  }

  /** Runs a login check of this account one at a time, under its failure limits; a refusal counts. */
  function checked(accountId: string, meta: RequestMeta, factor: string, check: () => Promise<boolean>) {
    return throttle.audited(meta, accountId, () =>
      throttle.oneAtATime(accountId, async () => {
        const account = await deps.repo.findById(accountId);
        if (!account) throw new BadCredentials();
        throttle.gate(account);
        if (await check()) {
          await deps.repo.clearFailures(account.id);
          return;
        }
        await throttle.refuseFactor(account, meta, {
          event: 'login_code_failed',
          factor,
          details: { reason: factor === 'totp' ? 'app_code_wrong' : 'recovery_code_wrong' },
        });
        throw factor === 'totp' ? new AppCodeRefused() : new RecoveryCodeRefused();
      }),
    );
  }

  return {
    /** What the security page shows. */
    async status(accountId: string) {
      const app = await apps.find(accountId);
      return {
        app: app ? { createdAt: app.createdAt, lastUsedAt: app.lastUsedAt } : null,
        recovery: await recoveryCodes.summary(accountId),
      };
    },

    /** The factors of this module an account holds (what a login after the password may offer). */
    async factorsHeld(accountId: string): Promise<('totp' | 'recovery')[]> {
      const held: ('totp' | 'recovery')[] = [];
      if (await apps.find(accountId)) held.push('totp');
      if ((await recoveryCodes.summary(accountId)).left > 0) held.push('recovery');
      return held;
    },

    /** The secret of an enrolment in progress (a new one when none is), with its otpauth URI. */
    async pendingEnrolment(input: { binding: string; accountId: string; account: string }) {
      let pending = await deps.flows.find<PendingEnrolment>('totp-enrol', input.binding);
      if (pending?.accountId !== input.accountId) {
        pending = { accountId: input.accountId, sealedSecret: box.seal(newTotpSecret(), input.accountId) };
        await deps.flows.save('totp-enrol', input.binding, pending, ENROL_SECONDS);
      }
      const secret = box.open(pending.sealedSecret, input.accountId);
      return { secret, uri: totpUri({ secret, account: input.account }) };
    },

    /**
     * The first code from the app confirms the enrolment (its step is then used: checklist 9). Returns new
     * recovery codes when the account had none left (to be shown once), else none.
     */
    async confirmEnrolment(input: {
      binding: string;
      accountId: string;
      code: string;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<string[] | undefined> {
      const pending = await deps.flows.find<PendingEnrolment>('totp-enrol', input.binding);
      if (pending?.accountId !== input.accountId) throw new FlowExpired();
      const secret = box.open(pending.sealedSecret, input.accountId);
      const step = await verifyTotp({ secret, code: input.code, nowMs: deps.clock.now() });
      if (step === undefined) throw new AppCodeRefused();
      if (!(await deps.flows.take('totp-enrol', input.binding))) throw new FlowExpired();
      await apps.save({
        accountId: input.accountId,
        sealedSecret: pending.sealedSecret,
        step,
        at: deps.clock.now(),
      });
      await deps.audit.record({
        event: 'totp_added',
        accountId: input.accountId,
        ...who(input.meta),
        factor: 'totp',
      });
      await notify(input.accountId, 'totp_added', input.locale, input.meta);
      if ((await recoveryCodes.summary(input.accountId)).left > 0) return undefined;
      return issueRecoveryCodes(input.accountId, input.meta);
    },

    async removeApp(input: { accountId: string; locale: Locale; meta: RequestMeta }): Promise<void> {
      if (!(await apps.remove(input.accountId))) throw new NotFound();
      await deps.audit.record({
        event: 'totp_removed',
        accountId: input.accountId,
        ...who(input.meta),
        factor: 'totp',
      });
      await notify(input.accountId, 'totp_removed', input.locale, input.meta);
    },

    /** A new set of ten codes (the old ones stop working), to be shown once. */
    async regenerateRecoveryCodes(input: { accountId: string; locale: Locale; meta: RequestMeta }) {
      const codes = await issueRecoveryCodes(input.accountId, input.meta);
      await notify(input.accountId, 'recovery_codes_generated', input.locale, input.meta);
      return codes;
    },

    /** A login's app code: right, within one step, and of a step not used before (checklist 9). */
    async verifyLoginCode(input: { accountId: string; code: string; meta: RequestMeta }): Promise<void> {
      await checked(input.accountId, input.meta, 'totp', async () => {
        const app = await apps.find(input.accountId);
        if (!app) return false;
        const step = await verifyTotp({
          secret: box.open(app.sealedSecret, input.accountId),
          code: input.code,
          nowMs: deps.clock.now(),
          afterStep: app.lastStep,
        });
        return step !== undefined && (await apps.useStep(input.accountId, step, deps.clock.now()));
      });
    },

    /** A recovery code in place of the second factor: once only; audited and told (checklist 23). */
    async useRecoveryCode(input: {
      accountId: string;
      code: string;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<void> {
      await checked(input.accountId, input.meta, 'recovery', () =>
        recoveryCodes.use(input.accountId, recoveryCodeHash(input.code), deps.clock.now()),
      );
      const { left } = await recoveryCodes.summary(input.accountId);
      await deps.audit.record({
        event: 'recovery_code_used',
        accountId: input.accountId,
        ...who(input.meta),
        factor: 'recovery',
        details: { left },
      });
      await notify(input.accountId, 'recovery_code_used', input.locale, input.meta);
    },
  };
}

export type AuthenticatorApp = ReturnType<typeof createAuthenticatorApp>;
