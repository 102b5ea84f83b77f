import type { FlowsRepo } from '../../flows/flowsRepo.js';
import type { OtpChannel } from '../../otp/index.js';
import type { Audit } from '../../shared/audit.js';
import { CodeExpired, FlowExpired } from '../../shared/errors.js';
import type { Locale } from '../accountsDeps.js';
import { type RequestMeta, who } from '../requestMeta.js';
import type { CheckPassword } from './checkPassword.js';
import type { FactorName } from './factors/index.js';
import type { AcrValue } from './levels.js';
import type { LoginCodes } from './loginCodes.js';
import {
  type Assurance,
  codeChannels,
  type LoginTransaction,
  nextStep,
  offeredCodes,
  prove,
  requiredOf,
} from './loginFlow.js';

/** How long a login transaction (password proven, code pending) lives. */
export const LOGIN_TX_SECONDS = 900;

/**
 * A login, bound to the interaction that asked for it: the transaction records the factors proven so far
 * (loginFlow.ts decides what comes next and the resulting acr/amr); the result is handed to oidc-provider
 * by the http layer.
 */
export function createLogin(deps: {
  flows: FlowsRepo;
  audit: Audit;
  checkPassword: CheckPassword;
  codes: LoginCodes;
}) {
  async function transaction(uid: string): Promise<LoginTransaction> {
    const tx = await deps.flows.find<LoginTransaction>('login', uid);
    if (!tx) throw new FlowExpired();
    return tx;
  }

  function save(uid: string, tx: LoginTransaction): Promise<void> {
    return deps.flows.save('login', uid, tx, LOGIN_TX_SECONDS);
  }

  return {
    /** The login transaction of an interaction (FlowExpired when there is none). */
    transaction,

    /**
     * The first factor; then a code to the first offered channel (SMS: always held, and the only one for a
     * client that needs the standard level).
     */
    async submitPassword(input: {
      uid: string;
      identifier: string;
      password: string;
      /** the lowest level the client and the request accept */
      required: AcrValue;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<void> {
      const { account, person } = await deps.checkPassword({
        identifier: input.identifier,
        password: input.password,
        meta: input.meta,
      });
      const factors: FactorName[] = ['pwd'];
      const held: FactorName[] = ['pwd', 'sms'];
      if ((account.email ?? person.email) !== null) held.push('email');
      const step = nextStep({ proven: factors, required: input.required, held });
      const channels = step.step === 'factor' ? codeChannels(step.offered) : [];
      const channel: OtpChannel = channels[0] ?? 'sms';
      const sent = await deps.codes.send({
        accountId: account.id,
        tx: input.uid,
        channel,
        locale: input.locale,
        meta: input.meta,
      });
      await save(input.uid, {
        accountId: account.id,
        factors,
        required: input.required,
        channel,
        maskedTo: sent.maskedTo,
        hasEmail: channels.includes('email'),
      });
    },

    /** A new code, by e-mail when the person asks and it is offered, else by SMS. */
    async resendCode(input: { uid: string; channel: string; locale: Locale; meta: RequestMeta }) {
      const tx = await transaction(input.uid);
      const asked = offeredCodes(tx).find((c) => c === input.channel);
      const channel: OtpChannel = asked ?? 'sms';
      const sent = await deps.codes.send({
        accountId: tx.accountId,
        tx: input.uid,
        channel,
        locale: input.locale,
        meta: input.meta,
      });
      await save(input.uid, { ...tx, channel, maskedTo: sent.maskedTo });
    },

    /**
     * The code factor; a right code ends the login with a truthful acr/amr (checklist 16), audited
     * (checklist 43). The transaction ends with it.
     */
    async verifyCode(input: {
      uid: string;
      code: string;
      clientId: string;
      meta: RequestMeta;
    }): Promise<{ accountId: string } & Assurance> {
      const tx = await transaction(input.uid);
      const { channel } = await deps.codes.verify({
        accountId: tx.accountId,
        tx: input.uid,
        code: input.code,
        meta: input.meta,
      });
      const factors = prove(tx.factors, channel);
      const step = nextStep({
        proven: factors,
        required: requiredOf(tx),
        held: [...factors, ...offeredCodes(tx)],
      });
      // No factor page follows a code yet: a login the code does not complete is not one.
      if (step.step !== 'done') throw new CodeExpired();
      await deps.flows.remove(input.uid);
      await deps.audit.record({
        event: 'login_succeeded',
        accountId: tx.accountId,
        ...who(input.meta),
        clientId: input.clientId,
        factor: factors.join('+'),
        details: { acr: step.acr, amr: step.amr },
      });
      return { accountId: tx.accountId, acr: step.acr, amr: step.amr };
    },

    /** The person cancelled: the transaction ends. */
    async abandon(uid: string): Promise<void> {
      await deps.flows.remove(uid);
    },
  };
}

export type Login = ReturnType<typeof createLogin>;
