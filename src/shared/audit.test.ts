import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../test/helpers/memoryLogger.js';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { answerWritesHeld, holdingAnswerWrites } from '../db/answerWrites.js';
import { createPreparedStatements } from '../db/preparedStatements.js';
import { type AuditEntry, createAudit } from './audit.js';
import { fakeClock } from './clock.js';

/** An audit over a test database (held answer writes through its prepared statements), with what it logged and counted. */
async function auditOn(t: TestDb) {
  const sql = createPreparedStatements(t.db);
  const lines: string[] = [];
  const counted: string[] = [];
  const audit = createAudit({
    db: t.db,
    logger: memoryLogger(lines),
    clock: fakeClock(),
    answerWrites: { held: answerWritesHeld, runHeld: sql.runHeld },
    observe: (entry: AuditEntry) => counted.push(entry.event),
  });
  const logged = () => lines.map((l) => JSON.parse(l).audit).filter(Boolean);
  return { sql, audit, counted, logged };
}

// An audit record held with its answer (a consent) is counted and logged only once it is stored: the log
// line and the metric are copies of the audit table and must never claim an event it does not have.
describe.each(ENGINES)('an audit record held with its answer, on %s', (engine) => {
  let t: TestDb;
  afterEach(async () => {
    await t?.destroy();
  });

  const setUp = async () => {
    t = await createTestDb(engine);
    return auditOn(t);
  };
  const consent: AuditEntry = { event: 'consent_granted', accountId: 'acc-1', clientId: 'rp' };

  it('[checklist 43] is counted and logged once its answer commits, not before', async () => {
    const { sql, audit, counted, logged } = await setUp();
    await holdingAnswerWrites(sql, async () => {
      await audit.record(consent);
      expect({ counted, logged: logged() }).toEqual({ counted: [], logged: [] });
    });
    expect({ counted, logged: logged() }).toEqual({
      counted: ['consent_granted'],
      logged: ['consent_granted'],
    });
    expect(await t.db('audit_events').pluck('event')).toEqual(['consent_granted']);
  });

  it('is neither counted nor logged when its answer is not stored', async () => {
    const { sql, audit, counted, logged } = await setUp();
    await expect(
      holdingAnswerWrites(sql, async () => {
        await audit.record(consent);
        await sql.runHeld('insert into "no_such_table" ("x") values (?)', [1]);
      }),
    ).rejects.toThrow(/no_such_table/);
    expect({ counted, logged: logged() }).toEqual({ counted: [], logged: [] });
    expect(await t.db('audit_events').pluck('event')).toEqual([]);
  });
});

// A record written inside the caller's own transaction (a password step, a session ended, an account
// unlocked from the CLI) is in the table only if that transaction commits: so are its line and its count.
describe.each(ENGINES)("an audit record in the caller's transaction, on %s", (engine) => {
  let t: TestDb;
  afterEach(async () => {
    await t?.destroy();
  });

  const setUp = async () => {
    t = await createTestDb(engine);
    return auditOn(t);
  };
  const unlocked: AuditEntry = { event: 'account_unlocked', accountId: 'acc-1', actor: 'cli' };

  it('[checklist 43] is counted and logged once that transaction commits, not before', async () => {
    const { audit, counted, logged } = await setUp();
    await t.db.transaction(async (trx) => {
      await audit.record(unlocked, trx);
      expect({ counted, logged: logged() }).toEqual({ counted: [], logged: [] });
    });
    expect({ counted, logged: logged() }).toEqual({
      counted: ['account_unlocked'],
      logged: ['account_unlocked'],
    });
    expect(await t.db('audit_events').pluck('event')).toEqual(['account_unlocked']);
  });

  it('is neither counted nor logged when that transaction rolls back', async () => {
    const { audit, counted, logged } = await setUp();
    await expect(
      t.db.transaction(async (trx) => {
        await audit.record(unlocked, trx);
        throw new Error('the rest of the change failed');
      }),
    ).rejects.toThrow(/the rest of the change failed/);
    // give a (wrongly) pending line every chance to appear
    await new Promise((r) => setImmediate(r));
    expect({ counted, logged: logged() }).toEqual({ counted: [], logged: [] });
    expect(await t.db('audit_events').pluck('event')).toEqual([]);
  });
});
