import type { FlowsRepo } from '../../flows/flowsRepo.js';
import { FlowExpired } from '../../shared/errors.js';
import type { Locale } from '../accountsDeps.js';
import type { AccountsRepo } from '../accountsRepo.js';
import type { RequestMeta } from '../requestMeta.js';
import type { Passkeys } from './createPasskeys.js';
import type { SecurityFactors } from './securityFactors.js';

/**
 * How long the offer waits: the login it follows counts as recent for the same 10 minutes as on the account
 * page (a factor change needs a login at the standard level within 10 minutes, checklist 21).
 */
export const OFFER_SECONDS = 600;

/** What the offer keeps: whose login it follows, and where that login resumes (oidc-provider's URL). */
export interface PendingOffer {
  accountId: string;
  resume: string;
}

function handleOf(uid: string): string {
  return `passkey-offer:${uid}`;
}

/** The enrolment challenge: a flow of its own (flows are keyed by handle alone). */
function bindingOf(uid: string): string {
  return `passkey-offer-enrol:${uid}`;
}

/**
 * The one-time "add a passkey, faster and safer next time" offer after a password + SMS login: shown once
 * per account (accounts.passkey_offered_at), skippable; accepting enrols the passkey as the security page
 * does (audited, told by SMS), then the login goes on where it was going.
 */
export function createPasskeyOffer(deps: {
  flows: FlowsRepo;
  repo: AccountsRepo;
  passkeys: Passkeys;
  securityFactors: SecurityFactors;
}) {
  async function pending(uid: string): Promise<PendingOffer> {
    const offer = await deps.flows.find<PendingOffer>('passkey-offer', handleOf(uid));
    if (!offer) throw new FlowExpired();
    return offer;
  }

  return {
    /** Keeps the finished login's resume URL while the offer is shown. */
    async open(uid: string, offer: PendingOffer): Promise<void> {
      await deps.flows.save('passkey-offer', handleOf(uid), offer, OFFER_SECONDS);
    },

    /** The offer of this interaction (FlowExpired once taken, skipped or expired). */
    pending,

    /** A single-use enrolment challenge for the account whose login the offer follows. */
    async options(uid: string) {
      const offer = await pending(uid);
      const account = await deps.repo.findById(offer.accountId);
      if (!account) throw new FlowExpired();
      return deps.passkeys.registrationOptions({
        binding: bindingOf(uid),
        accountId: account.id,
        userName: account.username,
        displayName: account.username,
      });
    },

    /** Enrols the passkey (refusals leave the offer open to try again); returns where the login resumes. */
    async accept(input: {
      uid: string;
      response: string;
      name: string;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<string> {
      const offer = await pending(input.uid);
      await deps.securityFactors.addPasskey({
        accountId: offer.accountId,
        binding: bindingOf(input.uid),
        response: input.response,
        name: input.name,
        locale: input.locale,
        meta: input.meta,
      });
      await deps.flows.remove(handleOf(input.uid));
      return offer.resume;
    },

    /** Not now: the login resumes; the offer is not shown again. */
    async skip(uid: string): Promise<string> {
      const offer = await pending(uid);
      await deps.flows.remove(handleOf(uid));
      return offer.resume;
    },
  };
}

export type PasskeyOffer = ReturnType<typeof createPasskeyOffer>;
