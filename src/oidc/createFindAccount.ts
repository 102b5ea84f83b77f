import type { FindAccount, Account as OidcAccount } from 'oidc-provider';
import type { Accounts } from '../accounts/createAccounts.js';
import type { AccountWithPerson } from '../accounts/index.js';
import { claimsOf, releasableClaims } from './claims.js';
import type { ReadAlong } from './readAlong.js';

/**
 * oidc-provider's account lookup: only an active account of a living person, only its releasable claims.
 * The account of a presented token was read along with it (`along`, the same statement), else it is read.
 */
export function createFindAccount(accounts: Accounts, along?: ReadAlong<AccountWithPerson>): FindAccount {
  return async (ctx, sub) => {
    const found = along?.take(sub) ?? (await accounts.accountWithPerson(sub));
    if (found?.account.status !== 'active' || found.person?.status !== 'living') return undefined;
    const { account, person } = found;
    // Only the claims of the scopes the client is registered for are ever available to oidc-provider, so no
    // request (scope, claims parameter, consent) can have it release more: ID token, userinfo alike.
    const available = releasableClaims(claimsOf(account, person), ctx?.oidc?.client?.scope);
    const result: OidcAccount = {
      accountId: sub,
      async claims() {
        return { sub, ...available };
      },
    };
    return result;
  };
}
