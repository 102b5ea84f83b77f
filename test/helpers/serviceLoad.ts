import * as oidc from 'openid-client';
import { authRequest, loginToCallback, openLoginPage, type Person, rpConfig } from './oidcLogin.js';
import type { TestIdp } from './startTestIdp.js';

/** What the loss-report and replacement APIs answered with success. */
export interface AnsweredServiceWrites {
  reports: { reference: string; documentType: string; holderNationalId: string }[];
  requests: { reference: string; lossReport: string }[];
  bookings: { request: string; office: string; startsAt: number }[];
}

/**
 * A person's access token for one API (its resource indicator), through the test client's real sign-in
 * (the client must be registered with the scope and `allowed_resources`).
 */
export async function apiToken(node: TestIdp, p: Person, resource: string, scope: string): Promise<string> {
  const req = await authRequest(node, { scope: `openid profile national_id phone ${scope}`, resource });
  const { callback } = await loginToCallback(node, await openLoginPage(req.url), p);
  const tokens = await oidc.authorizationCodeGrant(
    await rpConfig(node),
    callback,
    { pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce },
    { resource },
  );
  return tokens.access_token;
}

async function call(url: string, token: string, method: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * One person's report of a lost document (`holder`'s family record or birth certificate) through the
 * loss-report API, then a replacement request for it and a booking of the office's first free slot (which
 * other clients are booking too) through the replacement API; each success noted as it is answered.
 * Returns false when the person may not report any more now (their registry checks are used up).
 */
export async function reportAndBook(opts: {
  lossApi: string;
  replacementApi: string;
  tokens: { loss: string; replacement: string };
  holder: { nationalId: string; name: string };
  documentType: 'family_record' | 'birth_certificate';
  office: string;
  ok: AnsweredServiceWrites;
}): Promise<boolean> {
  const { ok, tokens } = opts;
  const report = await call(`${opts.lossApi}/reports`, tokens.loss, 'POST', {
    document_type: opts.documentType,
    holder_national_id: opts.holder.nationalId,
    holder_name: opts.holder.name,
  });
  if (report.status === 429) return false;
  if (report.status !== 201) throw new Error(`report: ${report.status} ${await report.text()}`);
  const lossReport = String((await report.json()).reference);
  ok.reports.push({
    reference: lossReport,
    documentType: opts.documentType,
    holderNationalId: opts.holder.nationalId,
  });
  const request = await call(`${opts.replacementApi}/requests`, tokens.replacement, 'POST', {
    loss_report: lossReport,
  });
  if (request.status !== 201) throw new Error(`request: ${request.status} ${await request.text()}`);
  const reference = String((await request.json()).reference);
  ok.requests.push({ reference, lossReport });
  const free = await call(
    `${opts.replacementApi}/offices/${opts.office}/slots?limit=1`,
    tokens.replacement,
    'GET',
  );
  const slot = ((await free.json()) as { slots: { starts_at: string }[] }).slots[0];
  if (!slot) throw new Error('no free slot');
  const booked = await call(
    `${opts.replacementApi}/requests/${reference}/appointment`,
    tokens.replacement,
    'PUT',
    {
      office: opts.office,
      starts_at: slot.starts_at,
    },
  );
  // A slot others filled in between is refused (409), the request left to book again.
  if (booked.status === 200)
    ok.bookings.push({ request: reference, office: opts.office, startsAt: Date.parse(slot.starts_at) });
  return true;
}
