import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { type RunningServices, startServices } from '../../src/services/startServices.js';
import { freePort } from '../helpers/freePort.js';
import {
  authRequest,
  continueToCallback,
  loginToCallback,
  openLoginPage,
  type Person,
  registerClient,
} from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf, type WebClient } from '../helpers/webClient.js';
import { auditRows, freshPerson, resetPassword, signOutAtHawiya } from './journey.js';

// Ending a person's sessions ends them everywhere: at the services (the real loss-report relying party,
// told by back-channel logout) and on Hawiya's own account page, whatever ended them.
describe('every session a person ends ends everywhere', () => {
  let t: TestIdp;
  let services: RunningServices;
  let lossUrl: string;

  beforeAll(async () => {
    const [lossPort, replacementPort] = await Promise.all([freePort(), freePort()]);
    lossUrl = `http://127.0.0.1:${lossPort}`;
    t = await startTestIdp({
      env: {
        LOSS_REPORT_URL: lossUrl,
        REPLACEMENT_URL: `http://127.0.0.1:${replacementPort}`,
        IP_LIMIT: '1000',
      },
    });
    services = await startServices(loadConfig(t.env));
  });
  afterAll(async () => {
    await services?.close();
    await t?.close();
  });

  /** One browser signed in at the loss-report service (password + SMS code) and then at /account. */
  async function signedInEverywhere(p: Person): Promise<WebClient> {
    const login = await openLoginPage(`${lossUrl}/login`);
    const { callback } = await loginToCallback(t, login, p, { redirectUri: `${lossUrl}/callback` });
    await login.web.follow(callback.href);
    expect(await atService(login.web)).toBe('signed in');
    const { url } = await login.web.follow(`${t.issuer}/account`);
    expect(url).toBe(`${t.issuer}/account`);
    expect(await atAccountPage(login.web)).toBe('signed in');
    return login.web;
  }

  async function atService(web: WebClient): Promise<'signed in' | 'signed out'> {
    const html = await (await web.request(`${lossUrl}/`)).text();
    return html.includes('action="/logout"') ? 'signed in' : 'signed out';
  }

  async function atAccountPage(web: WebClient): Promise<'signed in' | 'signed out'> {
    const res = await web.request(`${t.issuer}/account`);
    if (res.status === 200 && (await res.text()).includes('action="/account/password"')) return 'signed in';
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/account/login');
    return 'signed out';
  }

  it('[checklist 24] a password reset signs the person out of the service and of the account page', async () => {
    const p = await freshPerson(t, { account: true });
    const web = await signedInEverywhere(p);
    expect((await resetPassword(t, p, 'ظلال الأشجار في الظهيرة')).status).toBe(303);
    expect(await atService(web)).toBe('signed out');
    expect(await atAccountPage(web)).toBe('signed out');
  });

  it('[checklist 21] a password changed on the account page in another browser signs this one out everywhere', async () => {
    const p = await freshPerson(t, { account: true });
    const web = await signedInEverywhere(p);
    const other = await signedInEverywhere(p);
    const page = await (await other.request(`${t.issuer}/account`)).text();
    const changed = await other.submit(
      `${t.issuer}/account/password`,
      { current: p.password, password: 'غيوم فوق جبال السروات' },
      csrfOf(page),
    );
    expect(changed.status).toBe(303);
    for (const browser of [web, other]) {
      expect(await atService(browser)).toBe('signed out');
      expect(await atAccountPage(browser)).toBe('signed out');
    }
    // the browser that changed it is told so, and asked to sign in again
    const notice = await other.request(`${t.issuer}${changed.headers.get('location')}`);
    expect(notice.status).toBe(200);
    expect(await notice.text()).toContain('href="/account"');
  });

  it('[checklist 21] users lock signs the person out of the service and of the account page', async () => {
    const p = await freshPerson(t, { account: true });
    const web = await signedInEverywhere(p);
    expect(await runCli(['node', 'hawiya', 'users', 'lock', p.nationalId], t.env)).toBe(0);
    expect(await atService(web)).toBe('signed out');
    expect(await atAccountPage(web)).toBe('signed out');
  });

  it('[checklist 19] signing out at Hawiya signs the person out of the service and of the account page', async () => {
    const p = await freshPerson(t, { account: true });
    const web = await signedInEverywhere(p);
    expect((await signOutAtHawiya(t, web)).status).toBe(303);
    expect(await atService(web)).toBe('signed out');
    expect(await atAccountPage(web)).toBe('signed out');
  });

  it('[checklist 24] a relying party that cannot be told is audited, and the sessions end anyway', async () => {
    await registerClient(t, {
      client_id: 'unreachable-rp',
      redirect_uris: ['http://127.0.0.1:9/unreachable-cb'],
      // the service's origin (reachable from the IdP), a path that answers 404
      backchannel_logout_uri: `${lossUrl}/no-such-endpoint`,
      backchannel_logout_session_required: true,
    });
    const p = await freshPerson(t, { account: true });
    const web = await signedInEverywhere(p);
    const req = await authRequest(t, {
      client_id: 'unreachable-rp',
      redirect_uri: 'http://127.0.0.1:9/unreachable-cb',
    });
    await continueToCallback(t, web, req.url.href, { redirectUri: 'http://127.0.0.1:9/unreachable-cb' });

    expect((await resetPassword(t, p, 'ظلال الأشجار في الظهيرة')).status).toBe(303);
    expect(await atService(web)).toBe('signed out');
    expect(await atAccountPage(web)).toBe('signed out');
    const account = await t.idp.db('accounts').where({ national_id: p.nationalId }).first('id');
    expect(await t.idp.db('oidc_payloads').where({ account_id: account.id })).toHaveLength(0);
    const failed = (await auditRows(t, 'backchannel_logout_failed')).filter(
      (r) => r.account_id === account.id,
    );
    expect(failed.map((r) => r.client_id)).toEqual(['unreachable-rp']);
  });
});
