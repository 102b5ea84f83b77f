import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { answerWritesHeld } from '../db/answerWrites.js';
import { createPreparedStatements, type PreparedStatements } from '../db/preparedStatements.js';
import { createLogger } from '../shared/logger.js';
import { holdAuthorizationWrites } from './holdAuthorizationWrites.js';

const INSERT = 'insert into "audit_events" ("at", "event", "details") values (?, ?, ?)';

/** Serves `answer` (which ends in a redirect with a code and a cookie) behind holdAuthorizationWrites. */
async function serveAnswer(
  sql: PreparedStatements,
  answer: Koa.Middleware,
): Promise<{ server: Server; base: string }> {
  const app = new Koa();
  app.use(
    holdAuthorizationWrites({
      sql,
      authorizationPath: '/auth',
      renderError: async (ctx, out) => {
        ctx.body = `error page: ${out.error}`;
      },
      logger: createLogger({ level: 'silent' }),
    }) as unknown as Koa.Middleware,
  );
  app.use(answer);
  const server = createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.each(ENGINES)("an authorization answer's writes on %s", (engine) => {
  let t: TestDb;
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
    await t?.destroy();
  });
  const events = async () => (await t.db('audit_events').orderBy('at').select('event')).map((r) => r.event);

  /** An app whose answer (a redirect with a code and a cookie) first asks for `writes`. */
  async function answering(writes: [string, (string | number)[]][]) {
    const sql = createPreparedStatements(t.db);
    const seen = { held: false, inBody: [] as unknown[] };
    const served = await serveAnswer(sql, async (ctx) => {
      seen.held = answerWritesHeld();
      for (const [text, values] of writes) await sql.runHeld(text, values);
      seen.inBody.push(...(await events()));
      ctx.cookies.set('session', 'signed-in');
      ctx.redirect('https://rp.example/cb?code=secret');
    });
    server = served.server;
    const { base } = served;
    return {
      seen,
      request: (method = 'GET', path = '/auth') => fetch(`${base}${path}`, { method, redirect: 'manual' }),
    };
  }

  it('are held while the answer is made and committed before it leaves', async () => {
    t = await createTestDb(engine);
    const app = await answering([
      [INSERT, [1, 'interaction_ended', '{}']],
      [INSERT, [2, 'session_saved', '{}']],
    ]);
    const res = await app.request();
    expect(res.status).toBe(302);
    expect(app.seen.held).toBe(true);
    expect(app.seen.inBody).toEqual([]);
    expect(await events()).toEqual(['interaction_ended', 'session_saved']);
  });

  it('that cannot be stored keep the code and the cookie from leaving: an error page takes their place', async () => {
    t = await createTestDb(engine);
    const app = await answering([
      [INSERT, [1, 'interaction_ended', '{}']],
      ['insert into "no_such_table" ("x") values (?)', [1]],
    ]);
    const res = await app.request();
    expect(res.status).toBe(500);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toBe('error page: server_error');
    // nothing of the answer is kept either: its writes are stored together or not at all
    expect(await events()).toEqual([]);
  });

  it('a POST is not held here (the token endpoint holds its own)', async () => {
    t = await createTestDb(engine);
    const app = await answering([[INSERT, [1, 'written_at_once', '{}']]]);
    await app.request('POST');
    expect(app.seen.held).toBe(false);
    expect(app.seen.inBody).toEqual(['written_at_once']);
  });

  it("an authorization resume is held; another GET (userinfo) is not: it has nothing of the login's to hold", async () => {
    t = await createTestDb(engine);
    const app = await answering([[INSERT, [1, 'resumed', '{}']]]);
    await app.request('GET', '/auth/resume-uid');
    expect(app.seen.held).toBe(true);
    await app.request('GET', '/me');
    expect(app.seen.held).toBe(false);
    await app.request('GET', '/authx');
    expect(app.seen.held).toBe(false);
  });
});

// The database down or busy when an answer's writes are committed: the person is asked to try again shortly.
describe('an authorization answer whose writes meet an unavailable database', () => {
  it('answers 503 with Retry-After, never the code or the cookie', async () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const sql = {
      holding: () => true,
      async holdingWrites(body: () => Promise<unknown>) {
        await body();
        throw busy;
      },
    } as unknown as PreparedStatements;
    const { server, base } = await serveAnswer(sql, async (ctx) => {
      ctx.cookies.set('session', 'signed-in');
      ctx.redirect('https://rp.example/cb?code=secret');
    });
    try {
      const res = await fetch(`${base}/auth`, { redirect: 'manual' });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(await res.text()).toBe('error page: temporarily_unavailable');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
