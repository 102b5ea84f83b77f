import { createHash, randomBytes } from 'node:crypto';
import type { CodeBox } from '../system/messageStandIns.js';
import { BENCH_CLIENT, type BenchPerson } from '../system/seed.js';

/** Where the login driver sends requests, and how it turns the issuer's https URLs into loopback ones. */
export interface LoginTarget {
  origin: string;
  issuer: string;
  loopbackUrl(u: string): string;
  codes: CodeBox;
}

/** A cookie jar and the proxy headers of one simulated person (one browser, one address). */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(
    private readonly target: LoginTarget,
    private readonly address: string,
  ) {}

  async request(url: string, init: { method?: string; form?: Record<string, string>; auth?: string } = {}) {
    const headers: Record<string, string> = {
      'x-forwarded-proto': 'https',
      'x-forwarded-for': this.address,
      'accept-language': 'ar',
      cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    };
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (init.auth) headers.authorization = init.auth;
    const res = await fetch(this.target.loopbackUrl(new URL(url, this.target.issuer).href), {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

const csrfOf = (html: string) => html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/**
 * One person's complete login without a browser, as a relying party sees it: the authorization request,
 * the password form, the SMS code read from the stand-in gateway, the consent form, the redirect back with
 * the code, and the code exchanged at the token endpoint. Returns the token response and the PKCE verifier.
 */
export async function personLogin(
  target: LoginTarget,
  person: BenchPerson,
  opts: { address: string; scope?: string },
): Promise<{ tokens: { access_token: string; refresh_token?: string }; verifier: string }> {
  const browser = new Browser(target, opts.address);
  const { verifier, challenge } = pkce();
  const auth = new URL('/auth', target.issuer);
  const params = {
    client_id: BENCH_CLIENT.client_id,
    redirect_uri: BENCH_CLIENT.redirect_uri,
    response_type: 'code',
    scope: opts.scope ?? 'openid profile national_id',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('base64url'),
    nonce: randomBytes(8).toString('base64url'),
    ...(opts.scope?.includes('offline_access') ? { prompt: 'consent' } : {}),
  };
  for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);

  let url = auth.href;
  let page = await browser.request(url);
  for (let i = 0; i < 5 && page.status >= 300 && page.status < 400; i++) {
    url = new URL(page.headers.get('location') ?? '', url).href;
    page = await browser.request(url);
  }
  const uid = url.match(/\/interaction\/([^/?]+)/)?.[1];
  if (page.status !== 200 || !uid) throw new Error(`no login page: ${page.status} at ${url}`);
  const csrf = csrfOf(await page.text());

  const codeSent = target.codes.take(person.mobile);
  codeSent.catch(() => undefined);
  const pw = await browser.request(`/interaction/${uid}/login`, {
    form: { _csrf: csrf, identifier: person.nationalId, password: person.password },
  });
  if (pw.status !== 303) throw new Error(`password step: ${pw.status}`);
  await pw.arrayBuffer();
  const otp = await browser.request(`/interaction/${uid}/otp`, {
    form: { _csrf: csrf, code: await codeSent },
  });
  if (otp.status !== 303) throw new Error(`code step: ${otp.status}`);

  let next = new URL(otp.headers.get('location') ?? '', target.issuer).href;
  for (let i = 0; i < 12 && !next.startsWith(BENCH_CLIENT.redirect_uri); i++) {
    const res = await browser.request(next);
    if (res.status === 200 && next.includes('/interaction/')) {
      const html = await res.text();
      if (!html.includes('name="decision"'))
        throw new Error(`stopped on a page that is not consent: ${next}`);
      const at = next.match(/\/interaction\/([^/?]+)/)?.[1];
      const consent = await browser.request(`/interaction/${at}/consent`, {
        form: { _csrf: csrfOf(html), decision: 'allow' },
      });
      next = new URL(consent.headers.get('location') ?? '', target.issuer).href;
      continue;
    }
    await res.arrayBuffer();
    const location = res.headers.get('location');
    if (!location) throw new Error(`stuck at ${next}: ${res.status}`);
    next = new URL(location, next).href;
  }
  const code = new URL(next).searchParams.get('code');
  if (!code) throw new Error(`no code at the redirect URI: ${next}`);
  const token = await browser.request('/token', {
    form: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: BENCH_CLIENT.redirect_uri,
      code_verifier: verifier,
    },
    auth: basicAuth(BENCH_CLIENT.client_id, BENCH_CLIENT.client_secret),
  });
  if (token.status !== 200) throw new Error(`token: ${token.status} ${await token.text()}`);
  return { tokens: (await token.json()) as { access_token: string; refresh_token?: string }, verifier };
}

/** A made-up public address for person i (10.x.y.z), so per-address limits see many people, as in life. */
export function addressOf(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}
