import * as jose from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { registerClient, rpConfig, secretOf } from '../helpers/oidcLogin.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// startTestIdp sets LOSS_REPORT_URL: the loss-report API is this resource indicator.
const LOSS_API = 'http://127.0.0.1:1/loss/api';

describe('client credentials and the registry check', () => {
  let t: TestIdp;
  let registryApi: string;

  /** A client-credentials-only client registered straight in the clients table. */
  const machine = (client_id: string, extra: Record<string, unknown>) =>
    registerClient(t, {
      client_id,
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
      organization_type: 'government',
      ...extra,
    });

  const tokenFor = async (clientId: string, params: Record<string, string>, secret = secretOf(clientId)) =>
    oidc.clientCredentialsGrant(await rpConfig(t, clientId, secret), params);

  const check = (token: string | undefined, body: unknown) =>
    fetch(registryApi, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await startTestIdp();
    registryApi = `${t.issuer}/api/registry/verify`;
    await machine('civil-registry-checker', { scope: 'registry:verify', allowed_resources: [registryApi] });
    await machine('bank-1', {
      organization_type: 'private',
      scope: 'civil:loss_register.read',
      allowed_resources: [LOSS_API],
    });
    // Registered for the check while private: a government-only API refuses it.
    await machine('private-checker', {
      organization_type: 'private',
      scope: 'registry:verify',
      allowed_resources: [registryApi],
    });
    await registerClient(t, { client_id: 'people-only', redirect_uris: ['http://127.0.0.1:9/cb'] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a government client gets a short-lived token for the registry check, which answers living, deceased or no match, audited', async () => {
    const tokens = await tokenFor('civil-registry-checker', {
      scope: 'registry:verify',
      resource: registryApi,
    });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBeLessThanOrEqual(300);
    expect(tokens.scope).toBe('registry:verify');

    const living = await check(tokens.access_token, { national_id: '1045238712', name: 'نورة القحطاني' });
    expect(living.status).toBe(200);
    expect(living.headers.get('cache-control')).toBe('no-store');
    expect(await living.json()).toEqual({ result: 'living' });
    const deceased = await check(tokens.access_token, {
      national_id: '١٠٨٨٣٤٥٦٢٢',
      name: 'abdulrahman al-shahri',
    });
    expect(await deceased.json()).toEqual({ result: 'deceased' });
    const wrongName = await check(tokens.access_token, { national_id: '1045238712', name: 'سارة الدوسري' });
    expect(await wrongName.json()).toEqual({ result: 'no_match' });
    const unknown = await check(tokens.access_token, { national_id: '1000000016', name: 'x y' });
    expect(await unknown.json()).toEqual({ result: 'no_match' });

    const audited = await t.idp
      .db('audit_events')
      .where({ event: 'registry_checked', client_id: 'civil-registry-checker' })
      .orderBy('id');
    expect(audited.map((r) => JSON.parse(r.details).result)).toEqual([
      'living',
      'deceased',
      'no_match',
      'no_match',
    ]);
    expect(audited[0].national_id_masked).toBe('1******712');
    expect(JSON.stringify(audited)).not.toContain('القحطاني');
  });

  it('the built-in loss-report service is registered for the check with its own secret', async () => {
    const secret = loadConfig(t.env).services['loss-report'].clientSecret;
    const tokens = await tokenFor('loss-report', { scope: 'registry:verify', resource: registryApi }, secret);
    const res = await check(tokens.access_token, { national_id: '1000000008', name: 'Mohammed Al-Otaibi' });
    expect(await res.json()).toEqual({ result: 'living' });
  });

  it('a client registered for the register query gets a JWT bound to the loss-report API, 5 minutes at most', async () => {
    const tokens = await tokenFor('bank-1', { scope: 'civil:loss_register.read', resource: LOSS_API });
    const jwks = jose.createLocalJWKSet(await (await fetch(`${t.issuer}/jwks`)).json());
    const { payload } = await jose.jwtVerify(tokens.access_token, jwks, {
      issuer: t.issuer,
      audience: LOSS_API,
      typ: 'at+jwt',
    });
    expect(payload.scope).toBe('civil:loss_register.read');
    expect(payload.client_id).toBe('bank-1');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(300);
    expect(payload).not.toHaveProperty('national_id');
  });

  it('[review R2] a client registered for people and machines gets no person scope by client credentials', async () => {
    await registerClient(t, {
      client_id: 'bank-both',
      organization_type: 'private',
      redirect_uris: ['http://127.0.0.1:9/cb'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      scope: 'openid civil:loss_report civil:loss_register.read',
      allowed_resources: [LOSS_API],
    });
    await expect(
      tokenFor('bank-both', { scope: 'civil:loss_report', resource: LOSS_API }),
    ).rejects.toMatchObject({ error: 'invalid_scope' });
    await expect(
      tokenFor('bank-both', { scope: 'civil:loss_report civil:loss_register.read', resource: LOSS_API }),
    ).rejects.toMatchObject({ error: 'invalid_scope' });
    const tokens = await tokenFor('bank-both', { scope: 'civil:loss_register.read', resource: LOSS_API });
    expect(jose.decodeJwt(tokens.access_token)).toMatchObject({
      sub: 'bank-both',
      scope: 'civil:loss_register.read',
    });
  });

  it('without resource, the one allowed API that offers the scope is the audience', async () => {
    const tokens = await tokenFor('bank-1', { scope: 'civil:loss_register.read' });
    expect(jose.decodeJwt(tokens.access_token).aud).toBe(LOSS_API);
  });

  it.each([
    [
      'a client not registered for the grant',
      'people-only',
      { scope: 'openid' },
      { error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' },
    ],
    [
      'openid (a person scope)',
      'bank-1',
      { scope: 'openid', resource: LOSS_API },
      { error: 'invalid_scope' },
    ],
    [
      'a scope the client is not registered for',
      'bank-1',
      { scope: 'civil:loss_report', resource: LOSS_API },
      { error: 'invalid_scope' },
    ],
    [
      'the registry check for a client without that scope',
      'bank-1',
      { scope: 'registry:verify', resource: 'REGISTRY' },
      { error: 'invalid_target' },
    ],
    [
      'the registry check for a private client',
      'private-checker',
      { scope: 'registry:verify', resource: 'REGISTRY' },
      { error: 'invalid_target' },
    ],
  ])('refuses %s', async (_label, clientId, params, error) => {
    const resolved = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, v === 'REGISTRY' ? registryApi : v]),
    );
    await expect(tokenFor(clientId, resolved)).rejects.toMatchObject(error);
  });

  it('the registry check refuses a missing, foreign or wrong-audience token with RFC 6750 challenges', async () => {
    const none = await check(undefined, { national_id: '1045238712', name: 'نورة القحطاني' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="hawiya"');

    const garbage = await check('not-a-token', { national_id: '1045238712', name: 'x' });
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get('www-authenticate')).toBe('Bearer realm="hawiya", error="invalid_token"');

    // A token for another API is no key to this one.
    const bank = await tokenFor('bank-1', { scope: 'civil:loss_register.read', resource: LOSS_API });
    const foreign = await check(bank.access_token, { national_id: '1045238712', name: 'نورة القحطاني' });
    expect(foreign.status).toBe(401);
    expect(await foreign.json()).toEqual({ error: 'invalid_token' });
  });

  it('the registry check is rate limited per client: past 120 a minute, 429 with Retry-After', async () => {
    await machine('busy-checker', { scope: 'registry:verify', allowed_resources: [registryApi] });
    const tokens = await tokenFor('busy-checker', { scope: 'registry:verify', resource: registryApi });
    const body = { national_id: '1045238712', name: 'نورة القحطاني' };
    for (let i = 0; i < 120; i++) expect((await check(tokens.access_token, body)).status).toBe(200);
    const limited = await check(tokens.access_token, body);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client is not slowed down by this one.
    const other = await tokenFor('civil-registry-checker', {
      scope: 'registry:verify',
      resource: registryApi,
    });
    expect((await check(other.access_token, body)).status).toBe(200);
  });

  it('bad input is a 400 invalid_request and nothing is audited', async () => {
    const tokens = await tokenFor('civil-registry-checker', {
      scope: 'registry:verify',
      resource: registryApi,
    });
    const before = await t.idp.db('audit_events').where({ event: 'registry_checked' }).count({ n: '*' });
    for (const body of [
      { national_id: '1045238713', name: 'نورة القحطاني' },
      { national_id: '1045238712', name: 'x'.repeat(201) },
      { national_id: '1045238712' },
      ['not', 'an', 'object'],
      { national_id: '1045238712', name: 'نورة\u0000القحطاني' },
    ]) {
      const res = await check(tokens.access_token, body);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toBe('invalid_request');
    }
    const after = await t.idp.db('audit_events').where({ event: 'registry_checked' }).count({ n: '*' });
    expect(after).toEqual(before);
  });
});
