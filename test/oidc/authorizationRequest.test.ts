import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authRequest, registerTestClient, TEST_CLIENT } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// The authorization endpoint's refusals: none of these needs a logged-in person.
describe('authorization requests', () => {
  let t: TestIdp;

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
    await registerTestClient(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: URL | string, headers: Record<string, string> = {}) =>
    t.fetch(url, { redirect: 'manual', headers });

  /** The error of an authorization response sent back to the registered redirect URI. */
  function redirectedError(res: Response): URLSearchParams {
    expect([302, 303]).toContain(res.status);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(TEST_CLIENT.redirect_uri);
    return location.searchParams;
  }

  it('[checklist 25] the registered redirect URI, exactly, starts a login (control case)', async () => {
    const { url } = await authRequest(t);
    const res = await get(url);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/\/interaction\//);
  });

  it.each([
    ['trailing slash', `${TEST_CLIENT.redirect_uri}/`],
    ['extra query', `${TEST_CLIENT.redirect_uri}?next=/admin`],
    ['changed case', TEST_CLIENT.redirect_uri.replace('/cb', '/CB')],
    ['fragment', `${TEST_CLIENT.redirect_uri}#x`],
    ['unregistered path', 'http://127.0.0.1:9/other'],
    ['other port', 'http://127.0.0.1:10/cb'],
    ['other host', 'https://attacker.example/cb'],
  ])('[checklist 25] a redirect URI with a %s gets an error page, never a redirect', async (_label, uri) => {
    const { url } = await authRequest(t, { redirect_uri: uri });
    const res = await get(url);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('invalid_redirect_uri');
    expect(html).not.toMatch(/http-equiv="refresh"/i);
  });

  it('[checklist 25] an unknown client gets an error page, never a redirect', async () => {
    const { url } = await authRequest(t, { client_id: 'no-such-client' });
    const res = await get(url);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('invalid_client');
  });

  it('[checklist 26][checklist 30] a request without code_challenge is refused with invalid_request and iss', async () => {
    const { url, state } = await authRequest(t, { code_challenge: '', code_challenge_method: '' });
    const params = redirectedError(await get(url));
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('error_description')).toMatch(/PKCE/i);
    expect(params.get('iss')).toBe(t.issuer);
    expect(params.get('state')).toBe(state);
    expect(params.get('code')).toBeNull();
  });

  it('[checklist 26] code_challenge_method=plain is refused with invalid_request', async () => {
    const { url } = await authRequest(t, {
      code_challenge: 'plain-challenge-plain-challenge-plain-challenge-0123',
      code_challenge_method: 'plain',
    });
    const params = redirectedError(await get(url));
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('error_description')).toMatch(/code_challenge_method/);
    expect(params.get('iss')).toBe(t.issuer);
  });

  it('[checklist 26] discovery advertises S256 as the only PKCE method', async () => {
    const meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
  });

  it.each(['token', 'id_token', 'id_token token', 'code id_token', 'code token', 'code id_token token'])(
    '[checklist 28] response_type=%s (implicit/hybrid) is refused with unsupported_response_type',
    async (responseType) => {
      const { url } = await authRequest(t, { response_type: responseType });
      const res = await get(url);
      const location = res.headers.get('location');
      if (location) {
        const to = new URL(location);
        expect(`${to.origin}${to.pathname}`).toBe(TEST_CLIENT.redirect_uri);
        const params = new URLSearchParams(to.hash ? to.hash.slice(1) : to.search);
        expect(params.get('error')).toBe('unsupported_response_type');
        expect(location).not.toMatch(/access_token|id_token=|code=/);
      } else {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(await res.text()).toContain('unsupported_response_type');
      }
    },
  );

  it('[checklist 28] discovery offers only the code response type and no implicit or password grant', async () => {
    const meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.grant_types_supported).not.toContain('implicit');
    expect(meta.grant_types_supported).not.toContain('password');
  });

  it('[checklist 30] discovery advertises the iss authorization response parameter', async () => {
    const meta = await (await t.fetch(`${t.issuer}/.well-known/openid-configuration`)).json();
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
    expect(meta.issuer).toBe(t.issuer);
  });

  it('[checklist 30] an error response (prompt=none without a session) carries iss too', async () => {
    const { url } = await authRequest(t, { prompt: 'none' });
    const params = redirectedError(await get(url));
    expect(params.get('error')).toBe('login_required');
    expect(params.get('iss')).toBe(t.issuer);
  });

  it('[checklist 31] /auth sends no CORS headers, even to a request with an Origin', async () => {
    const { url } = await authRequest(t);
    const res = await get(url, { origin: 'https://attacker.example' });
    expect(res.status).toBe(303);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await t.fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'https://attacker.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
