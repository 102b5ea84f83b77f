import type { Audit } from '../../shared/audit.js';
import { InvalidInput, NotFound } from '../../shared/errors.js';
import type { Locale } from '../accountsDeps.js';
import type { AccountsRepo } from '../accountsRepo.js';
import type { CodeDelivery } from '../codeDelivery.js';
import type { AcrValue } from '../login/levels.js';
import { highestLevel } from '../login/loginFlow.js';
import { type RequestMeta, who } from '../requestMeta.js';
import type { Passkeys } from './createPasskeys.js';
import type { PasskeysRepo } from './passkeysRepo.js';

/**
 * Changes to a person's sign-in factors from the security page. The http layer lets only a recent login at
 * the account's level reach these (checklist 21); each is audited and told over another channel.
 */
export function createSecurityFactors(deps: {
  repo: AccountsRepo;
  passkeys: Passkeys;
  passkeysRepo: PasskeysRepo;
  delivery: CodeDelivery;
  audit: Audit;
}) {
  async function notify(
    accountId: string,
    kind: 'passkey_added' | 'passkey_removed',
    locale: Locale,
    meta: RequestMeta,
  ) {
    const account = await deps.repo.findById(accountId);
    if (!account) return;
    // By e-mail when there is an address, else by SMS (checklist 21): a password + SIM holder changing
    // factors must not be the only one told.
    deps.delivery.notifyPerson({ nationalId: account.nationalId, account, kind, locale, meta });
  }

  return {
    /**
     * The level a recent login needs before any factor of this account changes: the highest its factors
     * reach (the registry's mobile always; its passkeys), so a person with a device-bound passkey signs in
     * with it (checklist 21).
     */
    async levelForChanges(accountId: string): Promise<AcrValue> {
      return highestLevel(['pwd', 'sms', ...(await deps.passkeys.factorsHeld(accountId))]);
    },

    async addPasskey(input: {
      accountId: string;
      binding: string;
      response: string;
      name: string;
      locale: Locale;
      meta: RequestMeta;
    }): Promise<void> {
      await deps.passkeys.register(input);
      await notify(input.accountId, 'passkey_added', input.locale, input.meta);
    },

    async renamePasskey(input: { accountId: string; id: string; name: string; meta: RequestMeta }) {
      const name = input.name.trim().slice(0, 64);
      if (name === '') throw new InvalidInput('passkey_name_required', 'name');
      if (!(await deps.passkeysRepo.rename(input.accountId, input.id, name))) throw new NotFound();
      await deps.audit.record({
        event: 'passkey_renamed',
        accountId: input.accountId,
        ...who(input.meta),
        factor: 'passkey',
      });
    },

    /** A removed passkey never signs in again (its row is gone: an assertion meets unknown_credential). */
    async removePasskey(input: { accountId: string; id: string; locale: Locale; meta: RequestMeta }) {
      if (!(await deps.passkeysRepo.remove(input.accountId, input.id))) throw new NotFound();
      await deps.audit.record({
        event: 'passkey_removed',
        accountId: input.accountId,
        ...who(input.meta),
        factor: 'passkey',
      });
      await notify(input.accountId, 'passkey_removed', input.locale, input.meta);
    },
  };
}

export type SecurityFactors = ReturnType<typeof createSecurityFactors>;
