/**
 * A tiny cookie-keeping HTTP client that follows redirects by hand, to drive Hawiya's forms in tests. It
 * sends with `opts.fetch` (global fetch by default); `new WebClient(t)` takes a TestIdp's, in-process or not.
 */
export class WebClient {
  private cookies = new Map<string, string>();
  lastUrl = '';
  readonly fetch: typeof fetch;

  constructor(opts: { fetch?: typeof fetch } = {}) {
    this.fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await this.fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...(init.headers as Record<string, string>) },
    });
    this.store(res);
    this.lastUrl = url;
    return res;
  }

  /** GET, following redirects until `stopAt` matches the next location (returned unfetched) or a page. */
  async follow(url: string, stopAt?: (location: string) => boolean): Promise<{ res: Response; url: string }> {
    let current = url;
    for (let i = 0; i < 20; i++) {
      const res = await this.request(current);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, current).href;
        if (stopAt?.(next)) return { res, url: next };
        current = next;
        continue;
      }
      return { res, url: current };
    }
    throw new Error('too many redirects');
  }

  /** POSTs a form with the page's CSRF token. */
  async submit(
    url: string,
    fields: Record<string, string>,
    csrf: string,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
  }
}

export function csrfOf(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  if (!m?.[1]) throw new Error('no csrf token on the page');
  return m[1];
}
