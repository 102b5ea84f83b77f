import type { Knex } from 'knex';
import type { FlowsRepo } from '../../flows/flowsRepo.js';
import type { OtpChannel } from '../../otp/index.js';
import type { RegistryRepo } from '../../registry/index.js';
import type { Audit } from '../../shared/audit.js';
import type { Clock } from '../../shared/clock.js';
import {
  AccountDisabled,
  AccountSuspended,
  CodeExpired,
  FlowExpired,
  InvalidInput,
} from '../../shared/errors.js';
import type { Locale } from '../accountsDeps.js';
import type { AccountsRepo } from '../accountsRepo.js';
import type { AuthenticatorApp } from '../authenticatorApp/createAuthenticatorApp.js';
import { PasskeyRefused, type Passkeys } from '../passkeys/createPasskeys.js';
import { type RequestMeta, who } from '../requestMeta.js';
import type { AfterPassword, CheckPassword } from './checkPassword.js';
import type { FactorName } from './factors/index.js';
import { type AcrValue, acrRank } from './levels.js';
import type { LoginCodes } from './loginCodes.js';
import {
  type Assurance,
  afterPasswordStep,
  assurance,
  type LoginTransaction,
  nextStep,
  offeredCodes,
  prove,
  requiredOf,
} from './loginFlow.js';

/** The passkey challenge of a login: beside its transaction (same uid), never in its place. */
function passkeyBinding(uid: string): string {
  return `login-passkey:${uid}`;
}

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
  clock: Clock;
  checkPassword: CheckPassword;
  codes: LoginCodes;
  passkeys: Passkeys;
  authenticatorApp: Pick<AuthenticatorApp, 'factorsHeld' | 'verifyLoginCode' | 'useRecoveryCode'>;
  repo: AccountsRepo;
  registry: RegistryRepo;
}) {
  async function transaction(uid: string): Promise<LoginTransaction> {
    const tx = await deps.flows.find<LoginTransaction>('login', uid);
    if (!tx) throw new FlowExpired();
    return tx;
  }

  function save(uid: string, tx: LoginTransaction, trx?: Knex): Promise<void> {
    return deps.flows.save('login', uid, tx, LOGIN_TX_SECONDS, trx);
  }

  /**
   * Ends a login transaction with one more proven factor: the acr/amr it reaches (never more, checklist 16),
   * audited (checklist 43). A factor that leaves the login short of a level is no login (CodeExpired).
   */
  async function complete(input: {
    uid: string;
    tx: LoginTransaction;
    factor: FactorName;
    clientId: string;
    meta: RequestMeta;
  }): Promise<{ accountId: string } & Assurance> {
    const factors = prove(input.tx.factors, input.factor);
    const step = nextStep({ proven: factors, required: requiredOf(input.tx), held: factors });
    if (step.step !== 'done') throw new CodeExpired();
    await deps.flows.remove(input.uid);
    await deps.audit.record({
      event: 'login_succeeded',
      accountId: input.tx.accountId,
      ...who(input.meta),
      clientId: input.clientId,
      factor: factors.join('+'),
      details: { acr: step.acr, amr: step.amr },
    });
    return { accountId: input.tx.accountId, acr: step.acr, amr: step.amr };
  }

  return {
    /** The login transaction of an interaction (FlowExpired when there is none). */
    transaction,

    /**
     * The first factor; then a passkey when the person holds one (it is offered first), else a code to the
     * first offered channel (SMS: always held, and the only one for a client that needs the standard level).
     * A level nothing the person holds can reach is told now, not after a code (e.g. high, no passkey).
     */
    async submitPassword(input: {
      uid: string;
      identifier: string;
      password: string;
      /** the lowest level the client and the request accept */
      required: AcrValue;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<{ next: 'code' | 'passkey' | 'app' }> {
      // Sends the code, once the password's writes and the code's have committed together.
      let send: (() => Promise<void>) | undefined;
      const next = await deps.checkPassword(
        { identifier: input.identifier, password: input.password, meta: input.meta },
        async ({ account, person }): Promise<AfterPassword<'code' | 'passkey' | 'app'>> => {
          const held: FactorName[] = [
            'pwd',
            ...(await deps.passkeys.factorsHeld(account.id)),
            'sms',
            ...(await deps.authenticatorApp.factorsHeld(account.id)),
          ];
          if ((account.email ?? person.email) !== null) held.push('email');
          const { tx, ask } = afterPasswordStep({ accountId: account.id, required: input.required, held });
          if (ask !== 'code') return { result: ask, writes: (trx) => save(input.uid, tx, trx) };
          return {
            result: 'code',
            async writes(trx) {
              const code = await deps.codes.store(
                {
                  account,
                  person,
                  tx: input.uid,
                  channel: tx.channel,
                  locale: input.locale,
                  meta: input.meta,
                },
                trx,
              );
              send = code.send;
              await save(input.uid, { ...tx, maskedTo: code.maskedTo }, trx);
            },
          };
        },
      );
      if (send) {
        try {
          await send();
        } catch (err) {
          // Undelivered: no code page for a code that never left (the code itself is already forgotten).
          await deps.flows.remove(input.uid);
          throw err;
        }
      }
      return { next };
    },

    /** Options for a passkey in this login: any of this site's (passwordless), or the account's after a password. */
    async passkeyOptions(uid: string) {
      const tx = await deps.flows.find<LoginTransaction>('login', uid);
      return deps.passkeys.authenticationOptions({ binding: passkeyBinding(uid), accountId: tx?.accountId });
    },

    /**
     * A passkey: alone (no ID typed: the discoverable credential names the account) or in place of the code
     * after a password. The login ends with what the passkey proves (device-bound: high; synced: standard).
     */
    async verifyPasskey(input: {
      uid: string;
      response: string;
      clientId: string;
      /** the lowest level the client and the request accept (as for the password) */
      required: AcrValue;
      meta: RequestMeta;
    }): Promise<{ accountId: string } & Assurance> {
      const tx = await deps.flows.find<LoginTransaction>('login', input.uid);
      const proof = await deps.passkeys.authenticate({
        binding: passkeyBinding(input.uid),
        response: input.response,
        meta: input.meta,
      });
      if (tx && tx.accountId !== proof.accountId) throw new PasskeyRefused('other_account');
      const account = await deps.repo.findById(proof.accountId);
      const person = account ? await deps.registry.find(account.nationalId) : undefined;
      // A passkey is not guessable, so a stranger's wrong passwords (a temporary lock) do not stop it; a
      // disabled or administrator-locked account, or a deceased person, still cannot sign in.
      if (account?.status === 'locked') throw new AccountSuspended();
      if (!account || !person || account.status !== 'active' || person.status !== 'living')
        throw new AccountDisabled();
      const factors = prove(tx?.factors ?? [], proof.factor);
      const reached = assurance(factors);
      if (!reached) throw new PasskeyRefused('no_level');
      // A passkey below the level asked for (a synced one for a high client) ends no login (checklist 16):
      // the person may still answer with a passkey that reaches it.
      const required =
        acrRank(input.required) > acrRank(tx?.required) ? input.required : requiredOf(tx ?? {});
      if (acrRank(reached.acr) < acrRank(required)) {
        await deps.audit.record({
          event: 'passkey_refused',
          accountId: proof.accountId,
          ...who(input.meta),
          clientId: input.clientId,
          factor: proof.factor,
          details: { reason: 'level_unreachable', acr: reached.acr, required },
        });
        throw new InvalidInput('level_unreachable');
      }
      await deps.flows.remove(input.uid);
      await deps.audit.record({
        event: 'login_succeeded',
        accountId: proof.accountId,
        ...who(input.meta),
        clientId: input.clientId,
        factor: factors.join('+'),
        details: { acr: reached.acr, amr: reached.amr, passkey: proof.passkey.aaguid },
      });
      return { accountId: proof.accountId, ...reached };
    },

    /** A new code, by e-mail when the person asks and it is offered, else by SMS. */
    async resendCode(input: { uid: string; channel: string; locale: Locale; meta: RequestMeta }) {
      const tx = await transaction(input.uid);
      if (tx.passkeyOnly) throw new InvalidInput('level_unreachable');
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
     * (checklist 43). The transaction ends with it. `offerPasskey`: the first password + SMS login of an
     * account with no passkey is followed, once, by the offer to add one.
     */
    async verifyCode(input: {
      uid: string;
      code: string;
      clientId: string;
      meta: RequestMeta;
    }): Promise<{ accountId: string; offerPasskey: boolean; locale: Locale | null } & Assurance> {
      const tx = await transaction(input.uid);
      // The code is used, and the transaction ends and is audited, in one commit.
      const done = await deps.codes.verify(
        { accountId: tx.accountId, tx: input.uid, code: input.code, meta: input.meta },
        async ({ account, channel }, trx) => {
          const factors = prove(tx.factors, channel);
          const step = nextStep({
            proven: factors,
            required: requiredOf(tx),
            held: [...factors, ...offeredCodes(tx)],
          });
          // No factor page follows a code yet: a login the code does not complete is not one.
          if (step.step !== 'done') return undefined;
          await deps.flows.remove(input.uid, trx);
          await deps.audit.record(
            {
              event: 'login_succeeded',
              accountId: tx.accountId,
              ...who(input.meta),
              clientId: input.clientId,
              factor: factors.join('+'),
              details: { acr: step.acr, amr: step.amr },
            },
            trx,
          );
          const mayOffer =
            channel === 'sms' &&
            (tx.passkeys ?? []).length === 0 &&
            (account.passkeyOfferedAt ?? null) === null;
          return { acr: step.acr, amr: step.amr, mayOffer, locale: account.locale };
        },
      );
      if (!done) throw new CodeExpired();
      const offerPasskey =
        done.mayOffer &&
        (await deps.passkeys.factorsHeld(tx.accountId)).length === 0 &&
        (await deps.repo.markPasskeyOffered(tx.accountId, deps.clock.now()));
      return { accountId: tx.accountId, acr: done.acr, amr: done.amr, offerPasskey, locale: done.locale };
    },

    /** A code from the person's authenticator app in place of the SMS code (used once: checklist 9). */
    async verifyApp(input: {
      uid: string;
      code: string;
      clientId: string;
      meta: RequestMeta;
    }): Promise<{ accountId: string } & Assurance> {
      const tx = await transaction(input.uid);
      if (!tx.app) throw new FlowExpired();
      await deps.authenticatorApp.verifyLoginCode({
        accountId: tx.accountId,
        code: input.code,
        meta: input.meta,
      });
      return complete({ ...input, tx, factor: 'totp' });
    },

    /** A saved recovery code in place of the second factor: once only, audited and told (checklist 23). */
    async verifyRecoveryCode(input: {
      uid: string;
      code: string;
      clientId: string;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<{ accountId: string } & Assurance> {
      const tx = await transaction(input.uid);
      if (!tx.recovery) throw new FlowExpired();
      await deps.authenticatorApp.useRecoveryCode({
        accountId: tx.accountId,
        code: input.code,
        locale: input.locale,
        meta: input.meta,
      });
      return complete({ ...input, tx, factor: 'recovery' });
    },

    /** The person cancelled: the transaction ends. */
    async abandon(uid: string): Promise<void> {
      await deps.flows.remove(uid);
    },
  };
}

export type Login = ReturnType<typeof createLogin>;
