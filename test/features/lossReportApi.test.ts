import * as jose from 'jose';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
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
  let sarah: Person;
  let mohammedToken: string;
  let nouraToken: string;
  let sarahToken: string;
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
    sarah = await demoPerson(t, '1123987453', 'sarah', 'ورد الربيع في الحديقة');
    await registerAndActivate(t, noura);
    await registerAndActivate(t, sarah);
    mohammedToken = await personToken(mohammed);
    nouraToken = await personToken(noura);
    sarahToken = await personToken(sarah);
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

  it('[checklist 43] records a family record report: 201, a checked reference, SMS and e-mail to the reporter, an audit record with where from', async () => {
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
    expect(audit[0].ip).toMatch(/127\.0\.0\.1$/);
    expect(audit[0].user_agent).toBeTruthy();
    expect(JSON.parse(audit[0].details)).toEqual({ reference, documentType: 'family_record' });

    const list = await (await call('/reports', { token: mohammedToken })).json();
    expect(list.reports.map((r: { reference: string }) => r.reference)).toEqual([reference]);
    expect((await call(`/reports/${reference}`, { token: mohammedToken })).status).toBe(200);
  });

  it('another person, neither reporter nor holder, cannot read or withdraw it: 404 as if it did not exist', async () => {
    const read = await call(`/reports/${reference}`, { token: sarahToken });
    expect(read.status).toBe(404);
    expect(await read.json()).toMatchObject({ error: 'unknown_report' });
    const withdraw = await call(`/reports/${reference}/withdraw`, { token: sarahToken, method: 'POST' });
    expect(withdraw.status).toBe(404);
    expect(await (await call('/reports', { token: sarahToken })).json()).toEqual({ reports: [] });
  });

  it('[review R7] the holder sees a report another person made about her document, and may withdraw it', async () => {
    const mine = await (await call('/reports', { token: nouraToken })).json();
    expect(mine.reports).toEqual([
      expect.objectContaining({ reference, holder_national_id: '1045238712', reported_by_you: false }),
    ]);
    const read = await call(`/reports/${reference}`, { token: nouraToken });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ reference, status: 'active', reported_by_you: false });

    // Mohammed reports her birth certificate too; she withdraws it ("it is not lost").
    const other = await call('/reports', {
      token: mohammedToken,
      body: {
        document_type: 'birth_certificate',
        holder_national_id: '1045238712',
        holder_name: 'نورة القحطاني',
      },
    });
    expect(other.status).toBe(201);
    const otherRef = (await other.json()).reference;
    const withdrawn = await call(`/reports/${otherRef}/withdraw`, { token: nouraToken, method: 'POST' });
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.json()).toMatchObject({ reference: otherRef, status: 'withdrawn' });
    const audit = await t.idp.db('audit_events').where({ event: 'loss_report_withdrawn' });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details)).toMatchObject({ reference: otherRef, by: 'holder' });
    expect(audit[0].ip).toMatch(/127\.0\.0\.1$/);
    // The reporter sees it withdrawn; the register no longer lists it.
    expect(await (await call(`/reports/${otherRef}`, { token: mohammedToken })).json()).toMatchObject({
      status: 'withdrawn',
      reported_by_you: true,
    });
  });

  it('the register answers a bank with client credentials: reported, the reference and the date, nothing more', async () => {
    const res = await call('/register?document_type=family_record&national_id=1045238712', {
      token: bankToken,
    });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(Object.keys(answer).sort()).toEqual(['reference', 'reported', 'reportedAt', 'reportedBy']);
    // [review R7] Mohammed reported Noura's record: the bank learns it was not the holder.
    expect(answer).toMatchObject({ reported: true, reference, reportedBy: 'other' });
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
      'a death certificate of a living person ([review R3] the same refusal as a mismatch)',
      { document_type: 'death_certificate' },
      422,
      'holder_mismatch',
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
    const withdrawals = await t.idp.db('audit_events').where({ event: 'loss_report_withdrawn' });
    expect(withdrawals.filter((a) => JSON.parse(a.details).reference === reference)).toHaveLength(1);
  });

  it('[review R3] the registry answer is one refusal: wrong name, not deceased, unknown ID alike; a duplicate only after a match', async () => {
    const refusals = await Promise.all(
      [
        {
          document_type: 'death_certificate',
          holder_national_id: '1045238712',
          holder_name: 'نورة القحطاني',
        },
        { document_type: 'death_certificate', holder_national_id: '1045238712', holder_name: 'سارة الدوسري' },
        { document_type: 'birth_certificate', holder_national_id: '1000000016', holder_name: 'سارة الدوسري' },
        // Reported already (Mohammed's family record of Noura is active), but the name is wrong.
        { document_type: 'family_record', holder_national_id: '1045238712', holder_name: 'سارة الدوسري' },
      ].map(async (body) => {
        const res = await call('/reports', { token: sarahToken, body });
        return [res.status, await res.json()];
      }),
    );
    for (const r of refusals)
      expect(r).toEqual([
        422,
        {
          error: 'holder_mismatch',
          error_description: 'The national ID and name do not match the civil registry for this document.',
        },
      ]);
  });

  it('[review R1] one person past the per-person limit gets 429 with Retry-After; another person is unaffected', async () => {
    // Fixed ten-minute windows: start well inside one, so that the count is not reset half-way.
    const left = 600_000 - (Date.now() % 600_000);
    if (left < 20_000) await new Promise((r) => setTimeout(r, left + 200));
    const attempt = () =>
      call('/reports', {
        token: sarahToken,
        body: {
          document_type: 'birth_certificate',
          holder_national_id: '1045238712',
          holder_name: 'اسم خاطئ',
        },
      });
    // Ten checks per window: Sarah has used some in the test above (unless the window turned since).
    let refused = await attempt();
    for (let i = 0; i < 10 && refused.status === 422; i++) refused = await attempt();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    const body = await refused.json();
    expect(body.error).toBe('too_many_checks');
    expect(body.error_description).toMatch(/try again in \d+ minutes/);
    // Refused before Hawiya is asked: the service's own registry allowance is not spent.
    const checks = await t.idp.db('audit_events').where({ event: 'registry_checked' }).count({ n: '*' });
    expect((await attempt()).status).toBe(429);
    expect(await t.idp.db('audit_events').where({ event: 'registry_checked' }).count({ n: '*' })).toEqual(
      checks,
    );
    // Noura can still report.
    const noura = await call('/reports', {
      token: nouraToken,
      body: {
        document_type: 'national_id_card',
        holder_national_id: '1045238712',
        holder_name: 'نورة القحطاني',
      },
    });
    expect(noura.status).toBe(201);
  });

  it('[review R8] after users lock, the API refuses the person’s access token at once (back-channel logout); others keep working', async () => {
    expect(jose.decodeJwt(sarahToken).sid).toEqual(expect.any(String));
    expect((await call('/reports', { token: sarahToken })).status).toBe(200);
    expect(await runCli(['node', 'hawiya', 'users', 'lock', sarah.nationalId], t.env)).toBe(0);
    const refused = await call('/reports', { token: sarahToken });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await call('/reports', { token: mohammedToken })).status).toBe(200);
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
