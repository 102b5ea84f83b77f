import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPerson } from '../accounts/journey.js';
import { launchBrowser, passPasskeyOffer } from '../helpers/browser.js';
import { type Person, registerTestClient, rpConfig } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// Passkeys in Chromium with the DevTools virtual authenticator (a platform authenticator with a resident key
// and user verification, as a phone's fingerprint or face unlock): enrol on the account page, sign out, sign in
// to a relying party that requires the high level with no ID typed.

const HIGH = 'urn:hawiya:acr:high';
const STANDARD = 'urn:hawiya:acr:standard';
const SHOTS = process.env.SHOTS_DIR;
/** a government service that skips consent, so the journey goes straight back to it */
// Chromium refuses port 9 (the other tests' callback): this relying party's callback is intercepted instead.
const CALLBACK = 'http://127.0.0.1:4173/cb';
const FIRST_PARTY = { organization_type: 'government', first_party: true, redirect_uris: [CALLBACK] };

describe('journey: passkeys in Chromium', () => {
  let t: TestIdp;
  let browser: Browser;
  let config: oidc.Configuration;

  beforeAll(async () => {
    // WebAuthn needs a domain for its rpID, never an IP address.
    t = await startTestIdp({ issuerHost: 'localhost' });
    await registerTestClient(t, { min_acr: HIGH, ...FIRST_PARTY });
    config = await rpConfig(t);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function withAuthenticator(
    backupEligible: boolean,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'ar' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
        defaultBackupEligibility: backupEligible,
        defaultBackupState: backupEligible,
      },
    });
    return { context, page };
  }

  async function shot(page: Page, name: string): Promise<void> {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }

  /** Password + SMS at the account page's sign-in, then a passkey added there. */
  async function enrolPasskey(page: Page, person: Person, name: string): Promise<void> {
    await page.goto(`${t.issuer}/account`);
    await page.waitForURL(/\/interaction\//);
    const mark = t.sms.mark();
    await page.fill('#identifier', person.nationalId);
    await page.fill('#password', person.password);
    await page.click('form[action$="/login"] button[type=submit]');
    await page.waitForURL(/\/otp$/);
    await page.fill('#code', await t.sms.code(person.mobile, mark));
    await page.click('form[action$="/otp"] button[type=submit]');
    await passPasskeyOffer(page, `${t.issuer}/account`);
    await shot(page, 'account-ar-1280');
    await page.fill('#passkey-name', name);
    await page.click('#passkey-add button[type=submit]');
    await page.waitForURL(/\/account\?done=passkeyAdded$/);
    expect(await page.locator('[role=status]').first().textContent()).toContain('أضفنا مفتاح المرور');
    expect(await page.locator('li.passkey h3').allTextContents()).toEqual([name]);
  }

  /** A relying party's request; the person signs in with the passkey alone. The ID token's claims. */
  async function signInWithPasskey(page: Page, params: Record<string, string>) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...params,
    });
    // Nothing listens at the callback: its address (with the code) is read from the request the browser makes.
    const back = page.waitForRequest((r) => r.url().startsWith(CALLBACK), { timeout: 15_000 });
    await page.goto(url.href).catch(() => undefined);
    // No ID typed: the discoverable credential names the account, from the button or, where Chromium offers
    // it at once, from the ID field's autofill (conditional UI), whichever answers first.
    await Promise.race([back, page.click('#passkey-button', { timeout: 15_000 }).catch(() => undefined)]);
    const callback = new URL((await back).url());
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    return tokens.claims();
  }

  it('[checklist 15] enrols a device-bound passkey, signs out, and signs in to a high-level service with no ID typed', async () => {
    const person = await freshPerson(t, { account: true });
    const { context, page } = await withAuthenticator(false);
    await enrolPasskey(page, person, 'هاتفي');
    expect(await page.locator('li.passkey').textContent()).toContain('المستوى العالي');

    // Sign out of Hawiya (confirmed on its end-session page).
    await page.goto(`${t.issuer}/session/end`);
    await page.click('button[name=logout][value=yes]');
    await page.waitForLoadState();

    const claims = await signInWithPasskey(page, {});
    expect(claims?.acr).toBe(HIGH);
    expect(claims?.amr).toEqual(['hwk', 'user', 'mfa']);
    await context.close();
  });

  it('[checklist 15] a synced passkey (BE=1) gets the standard level', async () => {
    const person = await freshPerson(t, { account: true });
    const { context, page } = await withAuthenticator(true);
    await enrolPasskey(page, person, 'Phone');
    expect(await page.locator('li.passkey').textContent()).toContain('المستوى القياسي');
    const row = await t.idp.db('passkeys').where({ name: 'Phone' }).first('backup_eligible');
    expect(Boolean(row.backup_eligible)).toBe(true);
    // The high-level client is not for it; a request accepting standard gets standard, never high.
    await registerTestClient(t, { min_acr: STANDARD, ...FIRST_PARTY });
    const claims = await signInWithPasskey(page, { acr_values: `${HIGH} ${STANDARD}` });
    expect(claims?.acr).toBe(STANDARD);
    await registerTestClient(t, { min_acr: HIGH, ...FIRST_PARTY });
    await context.close();
  });
});
