import { createHmac } from 'node:crypto';
import type { HawiyaClient } from './clientsRepo.js';

export const ACCOUNT_CLIENT_ID = 'hawiya-account';

/** The account pages sign people in through Hawiya like any relying party; their secret is derived. */
export function accountClientSecret(cookieKey: string): string {
  return createHmac('sha256', cookieKey).update(ACCOUNT_CLIENT_ID).digest('base64url');
}

export function accountClient(opts: { issuer: string; secret: string }): HawiyaClient {
  return {
    client_id: ACCOUNT_CLIENT_ID,
    client_secret: opts.secret,
    client_name: 'Hawiya account',
    name_ar: 'حسابي في هوية',
    name_en: 'My Hawiya account',
    organization_type: 'government',
    first_party: true,
    client_uri: `${opts.issuer}/account`,
    redirect_uris: [`${opts.issuer}/account/callback`],
    post_logout_redirect_uris: [`${opts.issuer}/`],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // the page shows who is signed in: the name and the masked national ID
    scope: 'openid profile national_id',
    subject_type: 'public',
    min_acr: 'urn:hawiya:acr:standard',
  };
}
