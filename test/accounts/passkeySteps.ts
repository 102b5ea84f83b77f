// Small steps of the passkey journeys at the request level, with the software authenticator (shared by the
// passkey test files of test/accounts/).
import type * as oidc from 'openid-client';
import { expect } from 'vitest';
import {
  completeLogin,
  exchange,
  followToClient,
  type StartedLogin,
  startLogin,
} from '../helpers/oidcLogin.js';
import { type Attestation, SoftAuthenticator } from '../helpers/softAuthenticator.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, type WebClient } from '../helpers/webClient.js';
import { freshPerson } from './journey.js';

export const HIGH = 'urn:hawiya:acr:high';
export const STANDARD = 'urn:hawiya:acr:standard';

export function passkeySteps(t: TestIdp, config: () => oidc.Configuration) {
  const rpId = new URL(t.issuer).hostname;

  function submitPasskey(login: StartedLogin, response: string) {
    return login.web.submit(`${t.issuer}/interaction/${login.uid}/passkey`, { response }, login.csrf);
  }

  async function passkeyOptions(login: StartedLogin) {
    const res = await login.web.submit(
      `${t.issuer}/interaction/${login.uid}/passkey/options`,
      {},
      login.csrf,
    );
    expect(res.status).toBe(200);
    return res.json();
  }

  return {
    submitPasskey,
    passkeyOptions,

    /** A software passkey for this IdP: device-bound unless `backupEligible` (synced). */
    key(backupEligible = false) {
      return new SoftAuthenticator({ origin: t.issuer, rpId, backupEligible });
    },

    /** A person signed in with password + SMS, on their account page: the web client and its CSRF token. */
    async onAccountPage(opts: { email?: string | null } = {}) {
      const person = await freshPerson(t, { account: true, email: opts.email });
      const login = await startLogin(t, config());
      await completeLogin(t, login, person);
      const { res, url } = await login.web.follow(`${t.issuer}/account`);
      expect(url).toBe(`${t.issuer}/account`);
      return { person, web: login.web, csrf: csrfOf(await res.text()) };
    },

    /** Enrols a passkey from the account page: the answer of POST /account/passkeys. */
    async enrol(
      page: { web: WebClient; csrf: string },
      key: SoftAuthenticator,
      o: { origin?: string; attestation?: Attestation } = {},
    ) {
      const options = await page.web.submit(`${t.issuer}/account/passkeys/options`, {}, page.csrf);
      expect(options.status).toBe(200);
      const response = key.register(await options.json(), o);
      return page.web.submit(`${t.issuer}/account/passkeys`, { name: 'هاتفي', response }, page.csrf);
    },

    /** A passwordless sign-in to the given client: the ID token's claims. */
    async signInWith(key: SoftAuthenticator, params: Record<string, string> = {}) {
      const login = await startLogin(t, config(), params);
      const res = await submitPasskey(login, key.assert(await passkeyOptions(login)));
      expect(res.status).toBe(303);
      const tokens = await exchange(
        config(),
        login,
        await followToClient(t, login, res.headers.get('location') ?? ''),
      );
      return tokens.claims();
    },
  };
}
