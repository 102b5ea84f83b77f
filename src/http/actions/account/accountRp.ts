import * as oidc from 'openid-client';
import { ACCOUNT_CLIENT_ID } from '../../../oidc/accountClient.js';

/** The account pages' relying-party side: discovery of Hawiya itself, made once, on first use. */
export function createAccountRp(opts: { issuer: string; secret: string }) {
  let config: Promise<oidc.Configuration> | undefined;
  return {
    redirectUri: `${opts.issuer}/account/callback`,
    configuration(): Promise<oidc.Configuration> {
      config ??= oidc
        .discovery(new URL(opts.issuer), ACCOUNT_CLIENT_ID, undefined, oidc.ClientSecretBasic(opts.secret), {
          execute: opts.issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
        })
        .catch((err: unknown) => {
          config = undefined;
          throw err;
        });
      return config;
    },
  };
}

export type AccountRp = ReturnType<typeof createAccountRp>;

/** What the account pages keep between requests (in the flows table, behind an HttpOnly cookie). */
export interface AccountSession {
  accountId: string;
  /** the Hawiya session's id for this client (the ID token's sid): the page lives only as long as it does */
  sid?: string;
  /** who is signed in, as the page shows it (from userinfo) */
  person?: { name: { ar: string; en: string }; maskedNationalId: string };
  /** when and at which level that sign-in was made (the ID token's auth_time, seconds, and acr) */
  authTime?: number;
  acr?: string;
  /** set while a sign-in is in progress */
  pending?: { verifier: string; state: string; nonce: string };
}

export const ACCOUNT_SESSION_SECONDS = 15 * 60;
