import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { FlowsRepo } from '../../flows/flowsRepo.js';
import type { Audit } from '../../shared/audit.js';
import type { Clock } from '../../shared/clock.js';
import { HawiyaError, InvalidInput } from '../../shared/errors.js';
import { type RequestMeta, who } from '../requestMeta.js';
import { type AttestationPolicy, passkeyFactor } from './passkeyFactor.js';
import type { PasskeysRepo, StoredPasskey } from './passkeysRepo.js';
import { trustedAttestation } from './trustedAttestation.js';

// @simplewebauthn/server and the certificate libraries under it (about 4 MiB of heap) load with the first
// passkey ceremony: a process that serves none never holds them.
const webauthn = () => import('@simplewebauthn/server');
const helpers = () => import('@simplewebauthn/server/helpers');

/** A passkey ceremony refused; the reason is audited, the person reads one message. */
export class PasskeyRefused extends HawiyaError {
  constructor(readonly reason: string) {
    super('passkey_refused', 400);
  }
}

/** How long a challenge waits for its answer (checklist 37: minutes, single use). */
export const CHALLENGE_SECONDS = 300;
const TIMEOUT_MS = 120_000;

interface PendingChallenge {
  challenge: string;
  /** registration: the account enrolling; authentication: the account expected, if any */
  accountId?: string;
}

/** The WebAuthn relying party of an issuer URL: its host is the rpID, its origin the only one accepted. */
export function relyingPartyOf(issuer: string): { rpID: string; origin: string } {
  const url = new URL(issuer);
  return { rpID: url.hostname, origin: url.origin };
}

/**
 * Passkey ceremonies with @simplewebauthn/server: challenges kept server-side in the flows table, single use
 * and short-lived; origin, rpID, type, user verification and the signature counter checked (checklist
 * 37-41). What a verified passkey proves (the factor, so the level) is decided by passkeyFactor.
 */
export function createPasskeys(deps: {
  repo: PasskeysRepo;
  flows: FlowsRepo;
  audit: Audit;
  clock: Clock;
  issuer: string;
  policy: AttestationPolicy;
}) {
  const { repo, flows } = deps;
  const { rpID, origin } = relyingPartyOf(deps.issuer);

  async function refuse(reason: string, meta: RequestMeta, accountId?: string, extra = {}): Promise<never> {
    await deps.audit.record({
      event: reason === 'counter' ? 'passkey_counter_regressed' : 'passkey_refused',
      accountId,
      ...who(meta),
      factor: 'passkey',
      details: { reason, ...extra },
    });
    throw new PasskeyRefused(reason);
  }

  function parsed<T>(json: string): T | undefined {
    try {
      const value = JSON.parse(json) as unknown;
      return typeof value === 'object' && value !== null ? (value as T) : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    /** Options for enrolling a new passkey: discoverable, user verification required (checklist 39). */
    async registrationOptions(input: {
      binding: string;
      accountId: string;
      userName: string;
      displayName: string;
    }): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const existing = await repo.listFor(input.accountId);
      const [sw, { isoUint8Array }] = await Promise.all([webauthn(), helpers()]);
      const options = await sw.generateRegistrationOptions({
        rpName: 'Hawiya',
        rpID,
        userName: input.userName,
        userDisplayName: input.displayName,
        // The user handle is the account's random id: no personal data on the authenticator.
        userID: isoUint8Array.fromUTF8String(input.accountId),
        attestationType: deps.policy.allowedAaguids.length > 0 ? 'direct' : 'none',
        excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports as never })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        timeout: TIMEOUT_MS,
        supportedAlgorithmIDs: [-7, -8, -257],
      });
      await flows.save<PendingChallenge>(
        'passkey',
        input.binding,
        { challenge: options.challenge, accountId: input.accountId },
        CHALLENGE_SECONDS,
      );
      return options;
    },

    /** Verifies an enrolment and stores the passkey; refused ones are audited. */
    async register(input: {
      binding: string;
      accountId: string;
      response: string;
      name: string;
      meta: RequestMeta;
    }): Promise<StoredPasskey> {
      const name = input.name.trim().slice(0, 64);
      if (name === '') throw new InvalidInput('passkey_name_required', 'name');
      const pending = await flows.take<PendingChallenge>('passkey', input.binding);
      if (!pending || pending.accountId !== input.accountId)
        return refuse('challenge', input.meta, input.accountId);
      const response = parsed<RegistrationResponseJSON>(input.response);
      if (!response) return refuse('malformed', input.meta, input.accountId);
      const [sw, { isoBase64URL }] = await Promise.all([webauthn(), helpers()]);
      let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verified = await sw.verifyRegistrationResponse({
          response,
          expectedChallenge: pending.challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: true,
        });
      } catch (err) {
        return refuse('verification', input.meta, input.accountId, { error: (err as Error).message });
      }
      if (!verified.verified) return refuse('verification', input.meta, input.accountId);
      const info = verified.registrationInfo;
      const { allowedAaguids } = deps.policy;
      if (allowedAaguids.length > 0 && (info.fmt === 'none' || !allowedAaguids.includes(info.aaguid)))
        return refuse('model_not_allowed', input.meta, input.accountId, { aaguid: info.aaguid });
      // With the policy on, the model is believed only from a chain to a configured root (checklist 42):
      // self-attestation is signed by the new key itself, so any software can claim any AAGUID with it.
      const trust =
        allowedAaguids.length > 0
          ? await trustedAttestation(info.attestationObject, deps.policy.trustedRoots)
          : { trusted: false as const, why: 'no_policy' };
      if (allowedAaguids.length > 0 && !trust.trusted)
        return refuse('attestation_untrusted', input.meta, input.accountId, {
          aaguid: info.aaguid,
          fmt: info.fmt,
          why: trust.why,
        });
      if (await repo.find(info.credential.id)) return refuse('duplicate', input.meta, input.accountId);
      const passkey: StoredPasskey = {
        id: info.credential.id,
        accountId: input.accountId,
        publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        aaguid: info.aaguid,
        backupEligible: info.credentialDeviceType === 'multiDevice',
        backedUp: info.credentialBackedUp,
        attestation: info.fmt,
        attestationTrusted: trust.trusted,
        name,
        createdAt: deps.clock.now(),
        lastUsedAt: null,
      };
      await repo.insert(passkey);
      await deps.audit.record({
        event: 'passkey_added',
        accountId: input.accountId,
        ...who(input.meta),
        factor: passkeyFactor({ ...passkey, backupEligibleNow: false, policy: deps.policy }),
        details: { aaguid: passkey.aaguid, backupEligible: passkey.backupEligible, fmt: info.fmt },
      });
      return passkey;
    },

    /**
     * Options for signing in: no allowed credentials (the browser offers the discoverable passkeys of this
     * site), user verification required. `accountId` binds the answer to an account (after a password).
     */
    async authenticationOptions(input: {
      binding: string;
      accountId?: string;
    }): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const allow = input.accountId ? await repo.listFor(input.accountId) : [];
      const sw = await webauthn();
      const options = await sw.generateAuthenticationOptions({
        rpID,
        userVerification: 'required',
        timeout: TIMEOUT_MS,
        allowCredentials: allow.map((p) => ({ id: p.id, transports: p.transports as never })),
      });
      await flows.save<PendingChallenge>(
        'passkey',
        input.binding,
        { challenge: options.challenge, accountId: input.accountId },
        CHALLENGE_SECONDS,
      );
      return options;
    },

    /**
     * Verifies an assertion against the challenge of this binding (taken: it never works twice) and the
     * stored passkey; returns whose it is and which factor it proved. Refusals are audited; a counter that
     * did not increase refuses the passkey and is audited as a possible clone (checklist 41).
     */
    async authenticate(input: {
      binding: string;
      response: string;
      meta: RequestMeta;
    }): Promise<{ accountId: string; passkey: StoredPasskey; factor: 'passkey' | 'passkey-bound' }> {
      const pending = await flows.take<PendingChallenge>('passkey', input.binding);
      if (!pending) return refuse('challenge', input.meta);
      const response = parsed<AuthenticationResponseJSON>(input.response);
      if (typeof response?.id !== 'string' || typeof response.response?.authenticatorData !== 'string')
        return refuse('malformed', input.meta, pending.accountId);
      const stored = await repo.find(response.id);
      if (!stored) return refuse('unknown_credential', input.meta, pending.accountId);
      const { accountId } = stored;
      // The credential must be the account's (checklist 40): the one a password named, and the user handle.
      if (pending.accountId && pending.accountId !== accountId)
        return refuse('other_account', input.meta, pending.accountId);
      const [sw, { isoBase64URL }] = await Promise.all([webauthn(), helpers()]);
      const handle = response.response.userHandle;
      if (handle !== undefined && handle !== isoBase64URL.fromUTF8String(accountId))
        return refuse('user_handle', input.meta, accountId);
      let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
      try {
        result = await sw.verifyAuthenticationResponse({
          response,
          expectedChallenge: pending.challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          credential: {
            id: stored.id,
            publicKey: isoBase64URL.toBuffer(stored.publicKey),
            // The counter is compared below, once the signature holds: a forged answer must not raise a
            // clone alarm (checklist 41). 0 turns the library's own comparison off.
            counter: 0,
          },
          requireUserVerification: true,
        });
      } catch (err) {
        return refuse('verification', input.meta, accountId, { error: (err as Error).message });
      }
      if (!result.verified || !result.authenticationInfo.userVerified)
        return refuse('verification', input.meta, accountId);
      const info = result.authenticationInfo;
      if ((info.newCounter > 0 || stored.counter > 0) && info.newCounter <= stored.counter)
        return refuse('counter', input.meta, accountId, { stored: stored.counter, got: info.newCounter });
      await repo.recordUse(stored.id, {
        counter: info.newCounter,
        backedUp: info.credentialBackedUp,
        at: deps.clock.now(),
      });
      const factor = passkeyFactor({
        ...stored,
        backupEligibleNow: info.credentialDeviceType === 'multiDevice',
        policy: deps.policy,
      });
      return { accountId, passkey: stored, factor };
    },

    /** The passkeys of an account with the factor each proves (the security page). */
    async list(accountId: string): Promise<(StoredPasskey & { factor: 'passkey' | 'passkey-bound' })[]> {
      return (await repo.listFor(accountId)).map((p) => ({
        ...p,
        factor: passkeyFactor({ ...p, backupEligibleNow: false, policy: deps.policy }),
      }));
    },

    /** The factors an account's passkeys prove (what a login after a password may offer). */
    async factorsHeld(accountId: string): Promise<('passkey' | 'passkey-bound')[]> {
      const held = (await repo.listFor(accountId)).map((p) =>
        passkeyFactor({ ...p, backupEligibleNow: false, policy: deps.policy }),
      );
      return [...new Set(held)];
    },
  };
}

export type Passkeys = ReturnType<typeof createPasskeys>;
