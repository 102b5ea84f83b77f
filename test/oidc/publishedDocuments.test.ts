import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedAnswer } from '../../src/http/publishedAnswers.js';
import { publishedDocument } from '../../src/oidc/publishedDocuments.js';
import { startTestIdp, type TestIdp } from '../helpers/startTestIdp.js';

// Discovery and the JWKS are answered from memory after the first request (the provider's own output,
// kept per provider instance): the same bytes and headers, an ETag to revalidate, and a new JWKS as soon
// as the node reloads changed keys.
describe('discovery and JWKS answered from memory', () => {
  let t: TestIdp;
  const DISCOVERY = '/.well-known/openid-configuration';

  beforeAll(async () => {
    t = await startTestIdp({ inProcess: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    t.fetch(`${t.issuer}${path}`, { headers });
  const documentHeaders = (res: Response) => {
    const h = Object.fromEntries(res.headers);
    for (const perAnswer of ['date', 'x-request-id', 'etag', 'cache-control', 'connection'])
      delete h[perAnswer];
    return h;
  };

  it.each([DISCOVERY, '/jwks'])(
    '%s: the same bytes and headers again, with an ETag and a 304 for it',
    async (path) => {
      const first = await get(path);
      const firstBody = await first.text();
      const again = await get(path);
      expect(again.status).toBe(200);
      expect(await again.text()).toBe(firstBody);
      expect(documentHeaders(again)).toEqual(documentHeaders(first));
      // still the security headers, a request id of its own, and oidc-provider's CORS
      expect(again.headers.get('x-frame-options')).toBe('DENY');
      expect(again.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
      expect(again.headers.get('access-control-allow-origin')).toBe('*');
      expect(
        (await get(path, { origin: 'https://rp.example' })).headers.get('access-control-allow-origin'),
      ).toBe('https://rp.example');
      const etag = again.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(again.headers.get('cache-control')).toBe('no-cache');
      const revalidated = await get(path, { 'if-none-match': etag });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe('');
      expect((await get(path, { 'if-none-match': '"something-else"' })).status).toBe(200);
      const head = await t.fetch(`${t.issuer}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('etag')).toBe(etag);
    },
  );

  it('a request with a forged Host never decides the endpoints every relying party is sent (found by review)', async () => {
    // the attacker is first after a key change (a new provider keeps nothing yet), or after start-up
    await t.idp.keyStore.rotate({ immediate: true, actor: 'test' });
    expect(await t.idp.reloadKeys()).toBe(true);
    const forged = await t.fetch('http://attacker.example/.well-known/openid-configuration');
    expect(forged.status).toBe(200);
    // a relying party asks afterwards, with the right Host
    const res = await t.fetch(`${t.issuer}/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, string>;
    expect(doc.issuer).toBe(t.issuer);
    expect(
      {
        token_endpoint: doc.token_endpoint,
        authorization_endpoint: doc.authorization_endpoint,
        jwks_uri: doc.jwks_uri,
      },
      'endpoints of the discovery document served to everyone',
    ).toEqual({
      token_endpoint: `${t.issuer}/token`,
      authorization_endpoint: `${t.issuer}/auth`,
      jwks_uri: `${t.issuer}/jwks`,
    });
  });

  it('keeps one answer per document whatever spellings of its path are asked for (found by review)', async () => {
    const variants: string[] = [];
    // '/jwks' has 16 case variants, each with and without a trailing slash; discovery has 2^29
    for (let i = 0; i < 16; i++)
      for (const slash of ['', '/'])
        variants.push(`/${[...'jwks'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join('')}${slash}`);
    for (let i = 0; i < 200; i++) {
      const word = [...'openid-configuration'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join('');
      variants.push(`/.well-known/${word}`);
    }
    for (const path of variants) {
      const res = await t.fetch(`${t.issuer}${path}`);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }
    const provider = t.idp.provider();
    // (uppercasing '-' changes nothing: some spellings come twice)
    const spellings = [...new Set(variants)];
    const kept = spellings.filter((p) => publishedAnswer(provider, p) !== undefined);
    const docs = spellings.filter((p) => publishedDocument(provider, p) !== undefined);
    expect(docs.length).toBe(2);
    const bytes = kept.reduce((n, p) => n + (publishedAnswer(provider, p)?.body.length ?? 0), 0);
    // proof of growth: one kept answer (and one kept document) per spelling an attacker invents
    expect(
      kept.length,
      `${kept.length} answers kept (${bytes} bytes of body) for ${spellings.length} spellings`,
    ).toBe(2);
  });

  it('after an emergency rotation the JWKS no longer lists the retired keys once the node reloads', async () => {
    await get('/jwks');
    const before = await get('/jwks');
    const kids = ((await before.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const rotated = await t.idp.keyStore.rotate({ immediate: true, actor: 'test' });
    expect(await t.idp.reloadKeys()).toBe(true);
    const after = await get('/jwks');
    const afterKids = ((await after.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    for (const retired of rotated.retired) {
      expect(kids).toContain(retired);
      expect(afterKids).not.toContain(retired);
    }
    expect(afterKids).toContain(rotated.current);
    // a relying party revalidating its copy gets the new set, not a 304
    const etag = before.headers.get('etag') ?? '';
    const revalidated = await get('/jwks', { 'if-none-match': etag });
    expect(revalidated.status).toBe(200);
    const cached = await get('/jwks');
    expect(cached.headers.get('etag')).not.toBe(etag);
    expect(await cached.json()).toEqual({ keys: expect.any(Array) });
  });
});
