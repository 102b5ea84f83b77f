import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReplacements } from '../../src/replacements/createReplacements.js';
import { addDays, instantOf, isoWeekday, localDateOf } from '../../src/replacements/riyadhCalendar.js';
import { createAudit } from '../../src/shared/audit.js';
import { systemClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { cliInProcess } from '../helpers/cliInProcess.js';
import { recordingNotifier } from '../helpers/recordingNotifier.js';
import { createTestDb, type TestDb } from '../helpers/testDb.js';

// The office staff's commands on the real binary: offices, holidays, an office's day, a request's steps;
// bad input is exit 2, a refused step exit 1 with one line, each change audited under cli:<user>.

describe('hawiya offices, holidays, appointments, requests', () => {
  let tdb: TestDb;
  let dir: string;
  let env: Record<string, string>;
  let reference: string;
  let day: string;
  // In this process (the same command tree and output); the real binary is run where it matters.
  const cli = (...args: string[]) => cliInProcess(args, env);

  beforeAll(async () => {
    tdb = await createTestDb('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'hawiya-cli-'));
    env = { DATABASE_URL: tdb.url, KEYS_DIR: join(dir, 'keys') };
  });
  afterAll(async () => {
    await tdb?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offices add, list and update; bad input is a usage error and changes nothing', async () => {
    const add = await cli(
      'offices',
      'add',
      'taif-center',
      '--name-ar',
      'مكتب الطائف',
      '--name-en',
      'Taif office',
      '--city-ar',
      'الطائف',
      '--city-en',
      'Taif',
      '--opens',
      '08:00',
      '--closes',
      '12:00',
      '--slot-minutes',
      '30',
      '--capacity',
      '2',
    );
    expect(add.code, add.stderr).toBe(0);
    expect(
      (
        await cli(
          'offices',
          'add',
          'taif-center',
          '--name-ar',
          'x',
          '--name-en',
          'x',
          '--city-ar',
          'x',
          '--city-en',
          'x',
        )
      ).code,
    ).toBe(1);
    expect((await cli('offices', 'add', 'Bad Id!', '--name-ar', 'x')).code).toBe(2);
    const badHours = await cli('offices', 'update', 'taif-center', '--opens', '25:00');
    expect(badHours.code).toBe(2);
    const noSlot = await cli('offices', 'update', 'taif-center', '--closes', '08:10');
    expect(noSlot.code).toBe(1);
    expect(noSlot.stderr).toContain('at least one slot');
    const update = await cli(
      'offices',
      'update',
      'taif-center',
      '--capacity',
      '3',
      '--days',
      'sun,mon,tue,wed,thu',
    );
    expect(update.code, update.stderr).toBe(0);
    const list = JSON.parse((await cli('offices', 'list', '--json')).stdout);
    expect(list).toEqual([
      expect.objectContaining({
        id: 'taif-center',
        capacity: 3,
        opensAt: 480,
        closesAt: 720,
        workingDays: [7, 1, 2, 3, 4],
      }),
    ]);
    const events = await tdb
      .db('audit_events')
      .whereIn('event', ['office_added', 'office_updated'])
      .pluck('event');
    expect(events).toEqual(['office_added', 'office_updated']);
  }, 60_000);

  it('holidays add and list; a date twice or a bad date is refused', async () => {
    expect(
      (await cli('holidays', 'add', '2030-09-23', '--name-ar', 'اليوم الوطني', '--name-en', 'National Day'))
        .code,
    ).toBe(0);
    expect((await cli('holidays', 'add', '2030-09-23', '--name-ar', 'x', '--name-en', 'x')).code).toBe(1);
    expect((await cli('holidays', 'add', '2030-02-30', '--name-ar', 'x', '--name-en', 'x')).code).toBe(2);
    const list = JSON.parse((await cli('holidays', 'list', '--from', '2030-01-01', '--json')).stdout);
    expect(list).toEqual([{ date: '2030-09-23', nameAr: 'اليوم الوطني', nameEn: 'National Day' }]);
  }, 60_000);

  it("appointments list shows an office's day; requests show, attend, ready and cancel, refusing steps out of order", async () => {
    const clock = systemClock;
    const logger = createLogger({ level: 'silent' });
    const replacements = createReplacements({
      db: tdb.db,
      clock,
      audit: createAudit({ db: tdb.db, logger, clock }),
      notifier: recordingNotifier().notifier,
      logger,
    });
    // The next Sunday at least two days away, 09:00.
    day = addDays(localDateOf(Date.now()), 2);
    while (isoWeekday(day) !== 7) day = addDays(day, 1);
    const requester = { sub: 'omar', nameAr: 'عمر حداد', nameEn: 'Omar Haddad', phone: '+966569876543' };
    const request = await replacements.submit(requester, {
      reference: 'LR1234567897',
      documentType: 'birth_certificate',
      holderNationalId: '2105739466',
      holderName: 'عمر حداد',
      status: 'active',
    });
    reference = request.reference;
    await replacements.book(requester, reference, 'taif-center', instantOf(day, 9 * 60));

    const list = await cli('appointments', 'list', '--office', 'taif-center', '--date', day, '--json');
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        time: '09:00',
        seat: 1,
        status: 'booked',
        request: reference,
        name: 'Omar Haddad',
      }),
    ]);
    expect((await cli('appointments', 'list', '--office', 'nowhere', '--date', day)).code).toBe(1);

    const show = await cli('requests', 'show', reference.toLowerCase());
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('booked');
    const bad = await cli('requests', 'show', 'RQ0000000001');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a request reference');
    const early = await cli('requests', 'ready', reference);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('not possible in the request’s current state');
    expect((await cli('requests', 'attend', reference)).code).toBe(0);
    const ready = await cli('requests', 'ready', reference, '--date', addDays(day, 3));
    expect(ready.code, ready.stderr).toBe(0);
    expect(ready.stdout).toContain(addDays(day, 3));
    const cancel = await cli('requests', 'cancel', reference, '--json');
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(JSON.parse(cancel.stdout)).toMatchObject({ reference, status: 'cancelled' });
    const actors = await tdb
      .db('audit_events')
      .whereIn('event', ['replacement_attended', 'replacement_ready', 'replacement_cancelled'])
      .pluck('actor');
    expect(actors).toHaveLength(3);
    expect(actors.every((a: string) => a.startsWith('cli:'))).toBe(true);
  }, 60_000);
});
