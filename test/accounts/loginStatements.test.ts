import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeDigits } from '../../src/registry/index.js';
import {
  completeLogin,
  exchange,
  idpWithPerson,
  type Person,
  startLogin,
  TEST_CLIENT,
} from '../helpers/oidcLogin.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import { csrfOf } from '../helpers/webClient.js';

type Step = 'authorize' | 'password' | 'code' | 'consent' | 'redirects' | 'token';
interface Counted {
  statements: number;
  writes: number;
  /** what reaches the disk: a write outside a transaction, or a transaction's COMMIT */
  commits: number;
}

/**
 * Counts the statements seen, by step; BEGIN, COMMIT and savepoints are not statements, COMMIT is a
 * commit (held writes are announced inside the BEGIN and COMMIT of the transaction they share).
 */
function counter() {
  const by = new Map<Step, Counted>();
  let step: Step = 'authorize';
  let inTransaction = false;
  return {
    set step(s: Step) {
      step = s;
    },
    listen(q: { sql: string }) {
      const sql = q.sql.trim().toLowerCase();
      const c = by.get(step) ?? { statements: 0, writes: 0, commits: 0 };
      by.set(step, c);
      if (sql.startsWith('begin')) inTransaction = true;
      else if (sql.startsWith('commit')) {
        inTransaction = false;
        c.commits++;
      } else if (sql.startsWith('rollback') && !sql.startsWith('rollback to')) inTransaction = false;
      else if (/^(savepoint|release|rollback to)\b/.test(sql)) {
        // a savepoint's bookkeeping inside a transaction: neither a statement nor a commit
      } else {
        c.statements++;
        if (!sql.startsWith('select') && !sql.startsWith('pragma')) {
          c.writes++;
          if (!inTransaction) c.commits++;
        }
      }
    },
    of: (s: Step) => by.get(s) ?? { statements: 0, writes: 0, commits: 0 },
    total(): Counted {
      const all = { statements: 0, writes: 0, commits: 0 };
      for (const c of by.values()) {
        all.statements += c.statements;
        all.writes += c.writes;
        all.commits += c.commits;
      }
      return all;
    },
  };
}

// How many SQL statements a whole person login runs, step by step, in-process (counts, never times:
// speed is `npm run bench`'s, whose login is this one). The ceilings are what the login reached; each
// commit is an fsync on SQLite with synchronous=FULL, taken on the event loop.
describe('SQL statements of a full login: password, SMS code, consent, code exchange', () => {
  let t: TestIdp;
  let person: Person;
  let config: Awaited<ReturnType<typeof idpWithPerson>>['config'];
  const counted = counter();

  beforeAll(async () => {
    ({ t, person, config } = await idpWithPerson({ idp: { inProcess: true } }));
    // The first login (the one-time passkey offer, the language first kept) is not the one measured:
    // the bench's people are returning ones.
    const first = await startLogin(t, config);
    await exchange(config, first, await completeLogin(t, first, person));

    const listen = (q: { sql: string }) => counted.listen(q);
    t.idp.db.on('query', listen);
    try {
      counted.step = 'authorize';
      const login = await startLogin(t, config, { prompt: 'consent' });
      const mark = t.sms.mark();
      counted.step = 'password';
      const pw = await login.web.submit(
        `${t.issuer}/interaction/${login.uid}/login`,
        { identifier: person.nationalId, password: person.password },
        login.csrf,
      );
      expect(pw.status).toBe(303);
      const code = normalizeDigits(await t.sms.code(person.mobile, mark));
      counted.step = 'code';
      const otp = await login.web.submit(`${t.issuer}/interaction/${login.uid}/otp`, { code }, login.csrf);
      expect(otp.status).toBe(303);
      counted.step = 'redirects';
      let next = new URL(otp.headers.get('location') ?? '', t.issuer).href;
      for (let i = 0; i < 8 && !next.startsWith(TEST_CLIENT.redirect_uri); i++) {
        const res = await login.web.request(next);
        if (res.status === 200) {
          const html = await res.text();
          expect(html).toContain('name="decision"');
          counted.step = 'consent';
          const uid = next.match(/\/interaction\/([^/?]+)/)?.[1];
          const consent = await login.web.submit(
            `${t.issuer}/interaction/${uid}/consent`,
            { decision: 'allow' },
            csrfOf(html),
          );
          counted.step = 'redirects';
          next = new URL(consent.headers.get('location') ?? '', t.issuer).href;
          continue;
        }
        next = new URL(res.headers.get('location') ?? '', next).href;
      }
      counted.step = 'token';
      const tokens = await exchange(config, login, new URL(next));
      expect(tokens.access_token).toBeTruthy();
    } finally {
      t.idp.db.off('query', listen);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the password: one commit counts the address and takes the hold on the account, one for the audit record, the end of the hold, the code and the login transaction; the code sent is audited after the gateway answers', () => {
    expect(counted.of('password').commits).toBeLessThanOrEqual(3);
    expect(counted.of('password').writes).toBeLessThanOrEqual(7);
    expect(counted.of('password').statements).toBeLessThanOrEqual(16);
  });

  it('the code: the account held, then one commit for the code used, the end of the hold, the transaction ended and its audit record; then the interaction', () => {
    expect(counted.of('code').commits).toBeLessThanOrEqual(3);
    expect(counted.of('code').writes).toBeLessThanOrEqual(6);
    expect(counted.of('code').statements).toBeLessThanOrEqual(11);
  });

  it("the provider's redirects: each resume's writes (the interaction ended or begun, the session, the code, the signed-in device, noted once) in one commit", () => {
    expect(counted.of('redirects').commits).toBeLessThanOrEqual(2);
    expect(counted.of('redirects').writes).toBeLessThanOrEqual(8);
    expect(counted.of('redirects').statements).toBeLessThanOrEqual(21);
  });

  it('the consent: the grant, its audit record and the interaction result in one commit', () => {
    expect(counted.of('consent').commits).toBeLessThanOrEqual(1);
    expect(counted.of('consent').writes).toBeLessThanOrEqual(3);
    expect(counted.of('consent').statements).toBeLessThanOrEqual(9);
  });

  it('the code exchange: the code consumed, then the tokens and the disclosure record in one commit', () => {
    expect(counted.of('token').commits).toBeLessThanOrEqual(2);
    expect(counted.of('token').writes).toBeLessThanOrEqual(4);
    expect(counted.of('token').statements).toBeLessThanOrEqual(9);
  });

  it('the whole login: at most 70 statements, 29 of them writes, in 12 commits', () => {
    const all = counted.total();
    expect(all.statements).toBeLessThanOrEqual(70);
    expect(all.writes).toBeLessThanOrEqual(29);
    expect(all.commits).toBeLessThanOrEqual(12);
  });
});
