import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordingNotifier } from '../../test/helpers/recordingNotifier.js';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { createAudit } from '../shared/audit.js';
import { type Clock, fakeClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { createReplacements } from './createReplacements.js';
import { DEV_OFFICES } from './devOffices.js';
import type { LossReportsApi } from './lossReportsApi.js';
import { LossReportsUnavailable } from './lossReportsApi.js';
import { sweepReplacements } from './reminderSweep.js';
import { ReplacementRefused } from './replacementErrors.js';
import { instantOf } from './riyadhCalendar.js';
import { createStaffDesk } from './staffDesk.js';

const logger = createLogger({ level: 'silent' });
const OMAR = {
  sub: 'omar',
  nationalId: '2105739466',
  nameAr: 'عمر حداد',
  nameEn: 'Omar Haddad',
  phone: '+966569876543',
  email: 'omar.haddad@example.com',
};
const ID_CARD = {
  reference: 'LR1234567897',
  documentType: 'national_id_card',
  holderNationalId: '2105739466',
  holderName: 'عمر حداد',
  status: 'active' as const,
};
// Sunday 15 February 2026, 07:00 Riyadh; the appointment is Wednesday 18 February (1 Ramadan 1447) at 09:00.
const START = instantOf('2026-02-15', 7 * 60);
const APPOINTMENT = instantOf('2026-02-18', 9 * 60);

/** One process of the service: its own domain objects over the shared database. */
function process(db: TestDb['db'], clock: Clock, closer: { fail: boolean; closed: string[] }) {
  const { notifier, sent } = recordingNotifier();
  const domain = { db, clock, audit: createAudit({ db, logger, clock }), notifier, logger };
  const replacements = createReplacements(domain);
  const lossReports = {
    async close(reference: string) {
      if (closer.fail) throw new LossReportsUnavailable();
      closer.closed.push(reference);
    },
  } as unknown as LossReportsApi;
  const desk = createStaffDesk({ ...domain, replacements, lossReports });
  return { replacements, desk, sent, sweep: () => sweepReplacements({ ...domain, replacements, desk }) };
}

describe.each(ENGINES)('reminders and the staff’s steps (%s)', (engine) => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await createTestDb(engine);
  });
  afterAll(async () => {
    await tdb?.destroy();
  });
  beforeEach(async () => {
    for (const table of ['appointments', 'replacement_requests', 'offices', 'audit_events'])
      await tdb.db(table).delete();
  });

  it('the day-before reminder goes out once, by SMS and e-mail, even with two processes sweeping at once', async () => {
    const clock = fakeClock(START);
    const closer = { fail: false, closed: [] as string[] };
    const a = process(tdb.db, clock, closer);
    const b = process(tdb.db, clock, closer);
    await a.replacements.repos.offices.insert(DEV_OFFICES[0] as (typeof DEV_OFFICES)[number]);
    const request = await a.replacements.submit(OMAR, ID_CARD);
    await a.replacements.book(OMAR, request.reference, 'riyadh-olaya', APPOINTMENT);
    a.sent.length = 0;

    // Sunday and Monday: not yet the day before.
    expect(await a.sweep()).toEqual({ reminded: 0, closed: 0 });
    clock.advance(86_400_000);
    expect((await a.sweep()).reminded).toBe(0);
    // Tuesday: both processes sweep at the same moment; one reminder in all.
    clock.advance(86_400_000);
    const [ra, rb] = await Promise.all([a.sweep(), b.sweep()]);
    expect(ra.reminded + rb.reminded).toBe(1);
    const sent = [...a.sent, ...b.sent];
    expect(sent.map((m) => m.to).sort()).toEqual([OMAR.phone, OMAR.email].sort());
    expect(sent[0]?.text).toContain('1 رمضان 1447');
    expect(sent[0]?.text).toContain('Reminder');
    clock.advance(3600_000);
    expect((await a.sweep()).reminded + (await b.sweep()).reminded).toBe(0);
  });

  it('attended (biometrics for an ID card), ready 15 days after the appointment, collected: the report closed, or retried by the sweep', async () => {
    const clock = fakeClock(START);
    const closer = { fail: true, closed: [] as string[] };
    const p = process(tdb.db, clock, closer);
    await p.replacements.repos.offices.insert(DEV_OFFICES[0] as (typeof DEV_OFFICES)[number]);
    const request = await p.replacements.submit(OMAR, ID_CARD);
    const refusal = async (work: Promise<unknown>) =>
      work.then(
        () => 'accepted',
        (err) => (err instanceof ReplacementRefused ? err.refusal : Promise.reject(err)),
      );
    expect(await refusal(p.desk.attend(request.reference, 'cli:clerk'))).toBe('wrong_state');
    await p.replacements.book(OMAR, request.reference, 'riyadh-olaya', APPOINTMENT);
    expect(await refusal(p.desk.ready(request.reference, 'cli:clerk'))).toBe('wrong_state');
    const attended = await p.desk.attend(request.reference, 'cli:clerk');
    expect(attended.biometricsCaptured).toBe(true);
    // The person can no longer cancel once attended; the staff can.
    expect(await refusal(p.replacements.cancel(OMAR, request.reference))).toBe('wrong_state');
    expect(await refusal(p.desk.ready(request.reference, 'cli:clerk', '2026-02-30'))).toBe('bad_date');
    const ready = await p.desk.ready(request.reference, 'cli:clerk');
    expect(ready.collectionDate).toBe('2026-03-05');
    expect(p.sent.at(-1)?.text).toContain('16 رمضان 1447');

    const collected = await p.desk.collect(request.reference, 'cli:clerk');
    expect(collected.reportClosed).toBe(false);
    expect(collected.request.status).toBe('collected');
    expect(await refusal(p.desk.collect(request.reference, 'cli:clerk'))).toBe('wrong_state');
    closer.fail = false;
    expect((await p.sweep()).closed).toBe(1);
    expect(closer.closed).toEqual([ID_CARD.reference]);
    expect((await p.sweep()).closed).toBe(0);
    const events = await tdb.db('audit_events').where({ actor: 'cli:clerk' }).orderBy('id').pluck('event');
    expect(events).toEqual(['replacement_attended', 'replacement_ready', 'replacement_collected']);
  });
});
