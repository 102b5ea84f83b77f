import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../../test/helpers/testDb.js';
import { createEndedSessions, type EndedSessions } from './endedSessionsRepo.js';

describe.each(ENGINES)('[review R8] sessions ended by back-channel logout (%s)', (engine) => {
  let tdb: TestDb;
  let now = 1_000_000_000;
  let ended: EndedSessions;
  let other: EndedSessions;
  beforeAll(async () => {
    tdb = await createTestDb(engine);
    ended = createEndedSessions({ db: tdb.db, clock: { now: () => now }, service: 'loss-report' });
    other = createEndedSessions({ db: tdb.db, clock: { now: () => now }, service: 'replacement' });
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  const iat = (ms: number) => Math.floor(ms / 1000);

  it('a logged-out sid ends the tokens of that session only, at this service only', async () => {
    await ended.record({ sid: 's1', sub: 'p1' });
    expect(await ended.isEnded({ sid: 's1', sub: 'p1', iat: iat(now) })).toBe(true);
    expect(await ended.isEnded({ sid: 's2', sub: 'p1', iat: iat(now - 60_000) })).toBe(false);
    expect(await other.isEnded({ sid: 's1', sub: 'p1', iat: iat(now) })).toBe(false);
  });

  it('a logout naming only the subject ends the tokens issued before it, not those issued after', async () => {
    await ended.record({ sub: 'p2' });
    expect(await ended.isEnded({ sub: 'p2', iat: iat(now - 60_000) })).toBe(true);
    expect(await ended.isEnded({ sid: 'sx', sub: 'p2', iat: iat(now - 60_000) })).toBe(true);
    now += 5_000;
    expect(await ended.isEnded({ sub: 'p2', iat: iat(now) })).toBe(false);
  });

  it('forgets after an hour, when every token of the session has long expired', async () => {
    now += 61 * 60 * 1000;
    expect(await ended.isEnded({ sid: 's1', sub: 'p1', iat: iat(now - 3_700_000) })).toBe(false);
    await ended.record({ sid: 's9' });
    expect(Number((await tdb.db('service_ended_sessions').count({ n: '*' }))[0]?.n)).toBe(1);
  });
});
