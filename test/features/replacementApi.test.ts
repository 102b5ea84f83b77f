import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningServices, startServices } from '../../src/services/startServices.js';
import { freePort } from '../helpers/freePort.js';
import {
  authRequest,
  demoPerson,
  loginToCallback,
  openLoginPage,
  type Person,
  registerAndActivate,
  registerClient,
  rpConfig,
  secretOf,
} from '../helpers/oidcLogin.js';
import { pdfText } from '../helpers/pdfText.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// The replacement service's JSON API against the real Hawiya: person tokens from real sign-ins (the
// service's own client, a third-party app, a DPoP-bound app), the loss report recorded through the
// loss-report API, the real SMS gateway.

describe('replacement API', () => {
  let t: TestIdp;
  let services: RunningServices;
  let lossApi: string;
  let api: string;
  let mohammed: Person;
  let sarah: Person;
  let mohammedToken: string;
  let sarahToken: string;
  let lossReference: string;

  /** A person's access token for an API, signed in through `clientId` with `resource` = that API. */
  async function personToken(opts: {
    p: Person;
    clientId: string;
    secret: string;
    redirectUri: string;
    scope: string;
    resource: string;
    dpop?: oidc.DPoPHandle;
  }): Promise<string> {
    const req = await authRequest(t, {
      client_id: opts.clientId,
      redirect_uri: opts.redirectUri,
      scope: opts.scope,
      resource: opts.resource,
    });
    const { callback } = await loginToCallback(t, await openLoginPage(req.url), opts.p, {
      redirectUri: opts.redirectUri,
    });
    const tokens = await oidc.authorizationCodeGrant(
      await rpConfig(t, opts.clientId, opts.secret),
      callback,
      { pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce },
      { resource: opts.resource },
      opts.dpop ? { DPoP: opts.dpop } : undefined,
    );
    return tokens.access_token;
  }

  const serviceToken = (p: Person, service: 'replacement' | 'loss-report', resource: string) =>
    personToken({
      p,
      clientId: service,
      secret: loadConfig(t.env).services[service].clientSecret,
      redirectUri: `${resource.slice(0, -'/api'.length)}/callback`,
      scope: `openid profile national_id phone email ${service === 'replacement' ? 'civil:replacement' : 'civil:loss_report'}`,
      resource,
    });

  const call = (
    path: string,
    init: { token?: string; method?: string; body?: unknown; base?: string } = {},
  ) =>
    fetch(`${init.base ?? api}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  const count = async (table: string) => Number((await services.db(table).count({ n: '*' }))[0]?.n ?? 0);

  beforeAll(async () => {
    const [lossPort, replacementPort] = await Promise.all([freePort(), freePort()]);
    lossApi = `http://127.0.0.1:${lossPort}/api`;
    api = `http://127.0.0.1:${replacementPort}/api`;
    t = await startTestIdp({
      env: {
        LOSS_REPORT_URL: lossApi.slice(0, -4),
        REPLACEMENT_URL: api.slice(0, -4),
      },
    });
    services = await startServices(loadConfig(t.env), { background: false });
    mohammed = await demoPerson(t, '1000000008', 'mohammed', 'نخلة على شاطئ البحر');
    sarah = await demoPerson(t, '1123987453', 'sarah', 'ورد الربيع في الحديقة');
    await registerAndActivate(t, mohammed);
    await registerAndActivate(t, sarah);
    // Mohammed reports his ID card lost through the loss-report API.
    const lossToken = await serviceToken(mohammed, 'loss-report', lossApi);
    const report = await call('/reports', {
      base: lossApi,
      token: lossToken,
      body: {
        document_type: 'national_id_card',
        holder_national_id: mohammed.nationalId,
        holder_name: 'محمد العتيبي',
      },
    });
    expect(report.status).toBe(201);
    lossReference = (await report.json()).reference;
    mohammedToken = await serviceToken(mohammed, 'replacement', api);
    sarahToken = await serviceToken(sarah, 'replacement', api);
  });

  afterAll(async () => {
    await services?.close();
    await t?.close();
  });

  let reference: string;
  let officeId: string;

  it('requests a replacement for the caller’s own loss report: 201, the request, the name from the token', async () => {
    const res = await call('/requests', { token: mohammedToken, body: { loss_report: lossReference } });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      loss_report: lossReference,
      document_type: 'national_id_card',
      holder_national_id: mohammed.nationalId,
      status: 'submitted',
      appointment: null,
    });
    reference = body.reference;
    expect(reference).toMatch(/^RQ\d{10}$/);
    expect(res.headers.get('location')).toBe(`/api/requests/${reference}`);
    const row = await services.db('replacement_requests').where({ reference }).first();
    expect(row.requester_name_ar).toMatch(/محمد/);
    expect(row.requester_name_en).toMatch(/Mohammed/);
    // A second request for the same document is refused, nothing recorded.
    const again = await call('/requests', { token: mohammedToken, body: { loss_report: lossReference } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'request_exists' });
    expect(await count('replacement_requests')).toBe(1);
  });

  it('books a free slot, shows it in both calendars, sends the confirmation; Form 58 downloads', async () => {
    const offices = await (await call('/offices', { token: mohammedToken })).json();
    expect(offices.offices.length).toBeGreaterThan(0);
    officeId = offices.offices[0].id;
    const slots = await (await call(`/offices/${officeId}/slots?limit=3`, { token: mohammedToken })).json();
    expect(slots.slots).toHaveLength(3);
    const slot = slots.slots[0];
    expect(slot).toMatchObject({
      date: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      hijri: expect.stringMatching(/^14\d\d-/),
    });
    const mark = t.sms.mark();
    const booked = await call(`/requests/${reference}/appointment`, {
      token: mohammedToken,
      method: 'PUT',
      body: { office: officeId, starts_at: slot.starts_at },
    });
    expect(booked.status).toBe(200);
    const request = await booked.json();
    expect(request).toMatchObject({
      status: 'booked',
      appointment: { office: officeId, starts_at: slot.starts_at, date: slot.date, hijri: slot.hijri },
      expected_collection: { date: expect.any(String), hijri: expect.any(String) },
    });
    await expect.poll(() => t.sms.messages.slice(mark).some((m) => m.text.includes(reference))).toBe(true);
    // The confirmation gives the day in both calendars, in both languages (issue 8).
    const sms = t.sms.messages.slice(mark).find((m) => m.text.includes(reference))?.text ?? '';
    expect(sms).toMatch(/\(\d{1,2} [^()]+ 14\d\d هـ\)/);
    expect(sms).toMatch(/\(\d{1,2} [^()]+ 14\d\d AH\)/);

    const pdf = await fetch(`${api}/requests/${reference}/form58.pdf`, {
      headers: { authorization: `Bearer ${mohammedToken}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain(reference);
  });

  it('another person’s requests are not found: read, book, cancel, Form 58 all 404; a loss report not theirs is refused', async () => {
    for (const [path, method, body] of [
      [`/requests/${reference}`, 'GET', undefined],
      [`/requests/${reference}/form58.pdf`, 'GET', undefined],
      [`/requests/${reference}/cancel`, 'POST', undefined],
      [`/requests/${reference}/appointment`, 'DELETE', undefined],
      [
        `/requests/${reference}/appointment`,
        'PUT',
        { office: officeId, starts_at: new Date().toISOString() },
      ],
    ] as const) {
      const res = await call(path, { token: sarahToken, method, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'unknown_request' });
    }
    expect(await (await call('/requests', { token: sarahToken })).json()).toEqual({ requests: [] });
    const stolen = await call('/requests', { token: sarahToken, body: { loss_report: lossReference } });
    expect(stolen.status).toBe(404);
    expect(await stolen.json()).toMatchObject({ error: 'no_loss_report' });
    expect(await count('replacement_requests')).toBe(1);
    const mine = await (await call(`/requests/${reference}`, { token: mohammedToken })).json();
    expect(mine.status).toBe('booked');
  });

  it('cancels the appointment (the request stays, to book again), then the request', async () => {
    const freed = await call(`/requests/${reference}/appointment`, {
      token: mohammedToken,
      method: 'DELETE',
    });
    expect(freed.status).toBe(200);
    expect(await freed.json()).toMatchObject({ status: 'submitted', appointment: null });
    const audit = await t.idp.db('audit_events').where({ event: 'appointment_cancelled' });
    expect(audit).toHaveLength(1);
    const cancelled = await call(`/requests/${reference}/cancel`, { token: mohammedToken, method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled' });
    const list = await (await call('/requests', { token: mohammedToken })).json();
    expect(list.requests.map((r: { status: string }) => r.status)).toEqual(['cancelled']);
  });

  it('refuses tokens without the scope or for another API, with RFC 6750 challenges', async () => {
    const realm = new URL(api).host;
    const none = await call('/requests');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Bearer realm="${realm}"`);
    // The service's own client-credentials token for the loss-report API: Hawiya's, but another audience.
    const machine = await oidc.clientCredentialsGrant(
      await rpConfig(t, 'replacement', loadConfig(t.env).services.replacement.clientSecret),
      { scope: 'civil:loss_report.read', resource: lossApi },
    );
    const foreign = await call('/requests', { token: machine.access_token });
    expect(foreign.status).toBe(401);
    expect(foreign.headers.get('www-authenticate')).toBe(`Bearer realm="${realm}", error="invalid_token"`);
    // A person's token without civil:replacement (an app not registered for it): the scope is refused.
    await registerClient(t, {
      client_id: 'app-no-scope',
      redirect_uris: ['https://app.example/cb'],
      scope: 'openid profile national_id',
      allowed_resources: [api],
    });
    const narrow = await personToken({
      p: mohammed,
      clientId: 'app-no-scope',
      secret: secretOf('app-no-scope'),
      redirectUri: 'https://app.example/cb',
      scope: 'openid profile national_id',
      resource: api,
    });
    const refused = await call('/requests', { token: narrow });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe(
      `Bearer realm="${realm}", error="insufficient_scope", scope="civil:replacement"`,
    );
  });

  it('[checklist 35] a DPoP-bound token works only with a fresh proof for the request; as a bearer token it is refused', async () => {
    await registerClient(t, {
      client_id: 'app-dpop',
      redirect_uris: ['https://dpop.example/cb'],
      scope: 'openid profile national_id phone email civil:replacement',
      allowed_resources: [api],
    });
    const dpop = oidc.getDPoPHandle(
      await rpConfig(t, 'app-dpop', secretOf('app-dpop')),
      await oidc.randomDPoPKeyPair('ES256'),
    );
    const token = await personToken({
      p: mohammed,
      clientId: 'app-dpop',
      secret: secretOf('app-dpop'),
      redirectUri: 'https://dpop.example/cb',
      scope: 'openid profile national_id phone email civil:replacement',
      resource: api,
      dpop,
    });
    const config = await rpConfig(t, 'app-dpop', secretOf('app-dpop'));
    const ok = await oidc.fetchProtectedResource(
      config,
      token,
      new URL(`${api}/requests`),
      'GET',
      undefined,
      undefined,
      {
        DPoP: dpop,
      },
    );
    expect(ok.status).toBe(200);
    expect((await ok.json()).requests).toHaveLength(1);
    const asBearer = await call('/requests', { token });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_token"/);
    const noProof = await fetch(`${api}/requests`, { headers: { authorization: `DPoP ${token}` } });
    expect(noProof.status).toBe(401);
    expect(noProof.headers.get('www-authenticate')).toContain('error="invalid_dpop_proof"');
  });
});
