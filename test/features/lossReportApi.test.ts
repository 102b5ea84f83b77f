import { exportJWK, generateKeyPair, SignJWT } from 'jose';
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
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// The loss-report service's JSON API against the real Hawiya: person tokens from a real sign-in of the
// service's own client, client-credentials tokens for a bank, the real SMS gateway and SMTP catchers.

describe('loss-report API', () => {
  let t: TestIdp;
  let services: RunningServices;
  let base: string;
  let api: string;
  let mohammed: Person;
  let noura: Person;
  let mohammedToken: string;
  let nouraToken: string;
  let bankToken: string;

  /** A person's access token for the loss-report API: the service's own client, resource = its API. */
  async function personToken(p: Person): Promise<string> {
    const secret = loadConfig(t.env).services['loss-report'].clientSecret;
    const req = await authRequest(t, {
      client_id: 'loss-report',
      redirect_uri: `${base}/callback`,
      scope: 'openid profile national_id phone email civil:loss_report',
      resource: api,
    });
    const { callback } = await loginToCallback(t, await openLoginPage(req.url), p, {
      redirectUri: `${base}/callback`,
    });
    const tokens = await oidc.authorizationCodeGrant(
      await rpConfig(t, 'loss-report', secret),
      callback,
      { pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce },
      { resource: api },
    );
    return tokens.access_token;
  }

  const call = (path: string, init: { token?: string; method?: string; body?: unknown } = {}) =>
    fetch(`${api}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  const rowCount = async () => Number((await t.idp.db('loss_reports').count({ n: '*' }))[0]?.n ?? 0);

  beforeAll(async () => {
    base = `http://127.0.0.1:${await freePort()}`;
    api = `${base}/api`;
    t = await startTestIdp({
      env: { LOSS_REPORT_URL: base, REPLACEMENT_URL: `http://127.0.0.1:${await freePort()}` },
    });
    services = await startServices(loadConfig(t.env));
    mohammed = await demoPerson(t, '1000000008', 'mohammed', 'نخلة على شاطئ البحر');
    noura = await demoPerson(t, '1045238712', 'noura', 'قهوة الصباح مع المطر');
    await registerAndActivate(t, mohammed);
    await registerAndActivate(t, noura);
    mohammedToken = await personToken(mohammed);
    nouraToken = await personToken(noura);
    await registerClient(t, {
      client_id: 'bank-1',
      organization_type: 'private',
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
      scope: 'civil:loss_register.read',
      allowed_resources: [api],
    });
    bankToken = (
      await oidc.clientCredentialsGrant(await rpConfig(t, 'bank-1', secretOf('bank-1')), {
        scope: 'civil:loss_register.read',
        resource: api,
      })
    ).access_token;
  });

  afterAll(async () => {
    await services?.close();
    await t?.close();
  });

  let reference: string;

  it('records a family record report: 201, a checked reference, SMS and e-mail to the reporter, an audit record', async () => {
    const smsMark = t.sms.mark();
    const mailMark = t.smtp.mark();
    const res = await call('/reports', {
      token: mohammedToken,
      body: {
        document_type: 'family_record',
        holder_national_id: '1045238712',
        holder_name: 'نورة القحطاني',
      },
    });
    expect(res.status).toBe(201);
    const report = await res.json();
    expect(report).toMatchObject({
      document_type: 'family_record',
      holder_national_id: '1045238712',
      holder_name: 'نورة القحطاني',
      status: 'active',
    });
    reference = report.reference;
    expect(reference).toMatch(/^LR\d{10}$/);
    expect(res.headers.get('location')).toBe(`/api/reports/${reference}`);

    const sms = t.sms.messages.slice(smsMark);
    expect(sms.map((m) => m.to)).toEqual(['+966551234512']);
    expect(sms[0]?.text).toContain(reference);
    expect(sms[0]?.text).toContain('سجل الأسرة');
    expect(sms[0]?.text).toContain('Family record');
    await expect
      .poll(() => t.smtp.messages.slice(mailMark).map((m) => m.to))
      .toEqual(['mohammed.alotaibi@example.com']);
    expect(t.smtp.messages.at(-1)?.text).toContain(reference);

    const audit = await t.idp.db('audit_events').where({ event: 'loss_reported' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ client_id: 'loss-report', national_id_masked: '1******712' });
    expect(JSON.parse(audit[0].details)).toEqual({ reference, documentType: 'family_record' });

    const list = await (await call('/reports', { token: mohammedToken })).json();
    expect(list.reports.map((r: { reference: string }) => r.reference)).toEqual([reference]);
    expect((await call(`/reports/${reference}`, { token: mohammedToken })).status).toBe(200);
  });

  it('another person cannot read or withdraw it: 404 as if it did not exist, and lists only their own', async () => {
    const read = await call(`/reports/${reference}`, { token: nouraToken });
    expect(read.status).toBe(404);
    expect(await read.json()).toMatchObject({ error: 'unknown_report' });
    const withdraw = await call(`/reports/${reference}/withdraw`, { token: nouraToken, method: 'POST' });
    expect(withdraw.status).toBe(404);
    expect(await (await call('/reports', { token: nouraToken })).json()).toEqual({ reports: [] });
  });

  it('the register answers a bank with client credentials: reported, the reference and the date, nothing more', async () => {
    const res = await call('/register?document_type=family_record&national_id=1045238712', {
      token: bankToken,
    });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(Object.keys(answer).sort()).toEqual(['reference', 'reported', 'reportedAt']);
    expect(answer).toMatchObject({ reported: true, reference });
    const other = await call('/register?document_type=birth_certificate&national_id=1045238712', {
      token: bankToken,
    });
    expect(await other.json()).toEqual({ reported: false });
    const bad = await call('/register?document_type=passport&national_id=1045238713', { token: bankToken });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: 'invalid_input',
      fields: { document_type: 'unknown_document', holder_national_id: 'bad_national_id' },
    });
  });

  it('refuses with the right status and challenge: no token, missing scope both ways, wrong audience, another issuer', async () => {
    const realm = new URL(base).host;
    const none = await call('/reports');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Bearer realm="${realm}"`);

    const personAtRegister = await call('/register?document_type=family_record&national_id=1045238712', {
      token: mohammedToken,
    });
    expect(personAtRegister.status).toBe(403);
    expect(personAtRegister.headers.get('www-authenticate')).toBe(
      `Bearer realm="${realm}", error="insufficient_scope", scope="civil:loss_register.read"`,
    );
    const bankAtReports = await call('/reports', { token: bankToken });
    expect(bankAtReports.status).toBe(403);
    expect(bankAtReports.headers.get('www-authenticate')).toContain('scope="civil:loss_report"');

    // The service's own registry-check token: Hawiya's, but for another API.
    const secret = loadConfig(t.env).services['loss-report'].clientSecret;
    const checkApi = `${t.issuer}/api/registry/verify`;
    const foreign = await oidc.clientCredentialsGrant(await rpConfig(t, 'loss-report', secret), {
      scope: 'registry:verify',
      resource: checkApi,
    });
    const wrongAudience = await call('/reports', { token: foreign.access_token });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toBe(
      `Bearer realm="${realm}", error="invalid_token"`,
    );

    const { privateKey, publicKey } = await generateKeyPair('ES256');
    await exportJWK(publicKey);
    const forged = await new SignJWT({ client_id: 'loss-report', scope: 'civil:loss_report' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'attacker' })
      .setIssuer('https://evil.example')
      .setSubject('anyone')
      .setAudience(api)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const evil = await call('/reports', { token: forged });
    expect(evil.status).toBe(401);
    expect(evil.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it.each([
    [
      'an unknown document type',
      { document_type: 'passport' },
      400,
      'invalid_input',
      { document_type: 'unknown_document' },
    ],
    [
      'a bad check digit',
      { holder_national_id: '1045238713' },
      400,
      'invalid_input',
      { holder_national_id: 'bad_national_id' },
    ],
    [
      'an over-long name',
      { holder_name: 'ن'.repeat(101) },
      400,
      'invalid_input',
      { holder_name: 'name_too_long' },
    ],
    [
      'a control character in the name',
      { holder_name: 'نورة\u0007القحطاني' },
      400,
      'invalid_request',
      undefined,
    ],
    [
      'another person’s ID card',
      { document_type: 'national_id_card' },
      400,
      'invalid_input',
      { holder_national_id: 'id_card_not_own' },
    ],
    ['a holder who does not match', { holder_name: 'سارة الدوسري' }, 422, 'holder_mismatch', undefined],
    [
      'a death certificate of a living person',
      { document_type: 'death_certificate' },
      422,
      'holder_not_deceased',
      undefined,
    ],
    ['a second active report of the same document', {}, 409, 'duplicate_report', undefined],
  ])('refuses %s with a clear error and records nothing', async (_label, change, status, error, fields) => {
    const before = await rowCount();
    const res = await call('/reports', {
      token: mohammedToken,
      body: {
        document_type: 'family_record',
        holder_national_id: '1045238712',
        holder_name: 'نورة القحطاني',
        ...change,
      },
    });
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error).toBe(error);
    if (fields) expect(body.fields).toEqual(fields);
    if (error !== 'invalid_request') expect(body.error_description).toMatch(/\w/);
    expect(await rowCount()).toBe(before);
  });

  it('a reference with a bad check digit is a 400, not a lookup', async () => {
    const wrong = `${reference.slice(0, -1)}${(Number(reference.at(-1)) + 1) % 10}`;
    const res = await call(`/reports/${wrong}`, { token: mohammedToken });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_reference' });
  });

  it('a death certificate of a deceased person is accepted; withdrawing a report takes it off the register, once', async () => {
    const death = await call('/reports', {
      token: nouraToken,
      body: {
        document_type: 'death_certificate',
        holder_national_id: '1088345622',
        holder_name: 'عبدالرحمن الشهري',
      },
    });
    expect(death.status).toBe(201);

    const withdrawn = await call(`/reports/${reference}/withdraw`, { token: mohammedToken, method: 'POST' });
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.json()).toMatchObject({ reference, status: 'withdrawn' });
    const register = await call('/register?document_type=family_record&national_id=1045238712', {
      token: bankToken,
    });
    expect(await register.json()).toEqual({ reported: false });
    const again = await call(`/reports/${reference}/withdraw`, { token: mohammedToken, method: 'POST' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'report_not_active' });
    expect(await t.idp.db('audit_events').where({ event: 'loss_report_withdrawn' })).toHaveLength(1);
  });

  it('closing a report as replaced takes the replacement service’s client credentials (civil:loss_report.close): a person or a bank is refused; a withdrawn report cannot be replaced; a repeat answers the same', async () => {
    const secret = loadConfig(t.env).services.replacement.clientSecret;
    const closeToken = (
      await oidc.clientCredentialsGrant(await rpConfig(t, 'replacement', secret), {
        scope: 'civil:loss_report.close',
        resource: api,
      })
    ).access_token;
    const noura = (await (await call('/reports', { token: nouraToken })).json()).reports[0]
      .reference as string;
    const close = (ref: string, token: string) =>
      call(`/reports/${ref}/replaced`, { token, method: 'POST', body: { request: 'RQ1234567897' } });

    for (const token of [nouraToken, bankToken]) {
      const refused = await close(noura, token);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('www-authenticate')).toContain('scope="civil:loss_report.close"');
    }
    // A person's token never carries the scope, even for the replacement client.
    await expect(
      oidc.clientCredentialsGrant(await rpConfig(t, 'bank-1', secretOf('bank-1')), {
        scope: 'civil:loss_report.close',
        resource: api,
      }),
    ).rejects.toMatchObject({ error: 'invalid_scope' });

    const closed = await close(noura, closeToken);
    expect(closed.status).toBe(200);
    expect(await closed.json()).toEqual({ reference: noura, status: 'replaced' });
    expect((await close(noura, closeToken)).status).toBe(200);
    const audit = await t.idp.db('audit_events').where({ event: 'loss_report_replaced' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ client_id: 'replacement' });
    expect(JSON.parse(audit[0].details)).toMatchObject({ reference: noura, request: 'RQ1234567897' });

    const withdrawn = await close(reference, closeToken);
    expect(withdrawn.status).toBe(409);
    expect(await withdrawn.json()).toMatchObject({ error: 'report_not_active' });
    expect((await close('LR1234567897', closeToken)).status).toBe(404);
  });
});
