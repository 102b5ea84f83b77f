import { withCheckDigit } from '../../src/registry/index.js';
import { csrfOf, WebClient } from './webClient.js';

/**
 * Registration attempts with IDs the registry does not know (each answered by the code step, 303, until the
 * per-IP limit answers 429), each from a fresh client sending its own X-Forwarded-For: what a proxy in front
 * of Hawiya makes of a client that spoofs its address. Returns the statuses in order.
 */
export async function registerFromAddresses(opts: {
  /** the IdP's address and how requests reach it (a TestIdp, or the proxy's address and a fetch through it) */
  idp: { issuer: string; fetch?: typeof fetch };
  count: number;
  /** the X-Forwarded-For the i-th client sends */
  forwardedFor: (i: number) => string;
  /** the digit that fills the unknown IDs (1ddddddddX) and the usernames' prefix */
  idFill: string;
  usernamePrefix: string;
}): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < opts.count; i++) {
    const web = new WebClient(opts.idp);
    const headers = { 'x-forwarded-for': opts.forwardedFor(i) };
    const csrf = csrfOf(await (await web.request(`${opts.idp.issuer}/register`, { headers })).text());
    const res = await web.submit(
      `${opts.idp.issuer}/register`,
      {
        nationalId: withCheckDigit(`1${String(i).padStart(8, opts.idFill)}`),
        birthDate: '1990-01-01',
        username: `${opts.usernamePrefix}${i}`,
        password: 'قهوة الصباح مع الهيل',
      },
      csrf,
      headers,
    );
    statuses.push(res.status);
  }
  return statuses;
}
