import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordingNotifier } from '../../test/helpers/recordingNotifier.js';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { createDb, type Db } from '../db/createDb.js';
import { createAudit } from '../shared/audit.js';
import { fakeClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { createReplacements, type Requester } from './createReplacements.js';
import type { ReportedDocument } from './lossReportsApi.js';
import { DEFAULT_WORKING_DAYS } from './officeSlots.js';
import { ReplacementRefused } from './replacementErrors.js';
import { instantOf } from './riyadhCalendar.js';

const logger = createLogger({ level: 'silent' });
// Sunday 15 February 2026, 07:00 in Riyadh
const START = instantOf('2026-02-15', 7 * 60);
const MONDAY_9 = instantOf('2026-02-16', 9 * 60);
const CAPACITY = 3;

const person = (n: number): Requester => ({
  sub: `sub-${n}`,
  nationalId: `10000000${String(n).padStart(2, '0')}`,
  nameAr: `شخص ${n}`,
  nameEn: `Person ${n}`,
  phone: `+96650000${String(n).padStart(4, '0')}`,
});
const report = (n: number, status: ReportedDocument['status'] = 'active'): ReportedDocument => ({
  reference: `LR${String(100000000 + n)}0`,
  documentType: 'birth_certificate',
  holderNationalId: `10000000${String(n).padStart(2, '0')}`,
  holderName: `شخص ${n}`,
  status,
});

function build(db: Db, clock = fakeClock(START)) {
  const { notifier, sent } = recordingNotifier();
  const replacements = createReplacements({
    db,
    clock,
    audit: createAudit({ db, logger, clock }),
    notifier,
    logger,
  });
  return { replacements, sent, clock };
}

const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (err instanceof ReplacementRefused) return err.refusal;
    throw err;
  }
  return 'accepted';
};

describe.each(ENGINES)('replacement requests and appointments (%s)', (engine) => {
  let tdb: TestDb;
  const count = async (table: string, where: Record<string, unknown> = {}) =>
    Number((await tdb.db(table).where(where).count({ n: '*' }))[0]?.n ?? 0);

  beforeAll(async () => {
    tdb = await createTestDb(engine);
  });
  afterAll(async () => {
    await tdb?.destroy();
  });
  beforeEach(async () => {
    await tdb.db('appointments').delete();
    await tdb.db('replacement_requests').delete();
    await tdb.db('offices').delete();
    await tdb.db('public_holidays').delete();
    await tdb.db('audit_events').delete();
    await build(tdb.db).replacements.repos.offices.insert({
      id: 'riyadh-olaya',
      nameAr: 'مكتب العليا',
      nameEn: 'Olaya office',
      cityAr: 'الرياض',
      cityEn: 'Riyadh',
      opensAt: 8 * 60,
      closesAt: 12 * 60,
      slotMinutes: 30,
      capacity: CAPACITY,
      workingDays: DEFAULT_WORKING_DAYS,
      active: true,
    });
  });

  it(`many simultaneous bookings for a slot of capacity ${CAPACITY} leave exactly ${CAPACITY}, the rest told "slot full"`, async () => {
    const N = 24;
    // PostgreSQL: several pools, as several processes would have. SQLite: the process's one connection
    // (better-sqlite3 waits for a lock synchronously, so two handles in one thread would block each other).
    const handles = engine === 'pg' ? [0, 1, 2].map(() => createDb(tdb.url)) : [tdb.db];
    try {
      const { replacements } = build(tdb.db);
      const requests = [];
      for (let i = 0; i < N; i++) requests.push(await replacements.submit(person(i), report(i)));
      const outcomes = await Promise.all(
        requests.map((r, i) => {
          const db = handles[i % handles.length] as Db;
          return refusal(build(db).replacements.book(person(i), r.reference, 'riyadh-olaya', MONDAY_9));
        }),
      );
      expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(CAPACITY);
      expect(outcomes.filter((o) => o === 'slot_full')).toHaveLength(N - CAPACITY);
      expect(await count('appointments', { status: 'booked' })).toBe(CAPACITY);
      // The refused requests stay submitted: nothing half-recorded.
      expect(await count('replacement_requests', { status: 'booked' })).toBe(CAPACITY);
      expect(await count('replacement_requests', { status: 'submitted' })).toBe(N - CAPACITY);
      expect((await replacements.freeSlots('riyadh-olaya', 100)).map((s) => s.startsAt)).not.toContain(
        MONDAY_9,
      );
    } finally {
      if (engine === 'pg') await Promise.all(handles.map((h) => h.destroy()));
    }
  });

  it('a request holds at most one appointment, even when booked twice at once', async () => {
    const { replacements } = build(tdb.db);
    const r = await replacements.submit(person(1), report(1));
    const outcomes = await Promise.all(
      [MONDAY_9, MONDAY_9 + 30 * 60_000, MONDAY_9 + 60 * 60_000].map((t) =>
        refusal(replacements.book(person(1), r.reference, 'riyadh-olaya', t)),
      ),
    );
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
    expect(await count('appointments')).toBe(1);
    expect(
      await refusal(replacements.book(person(1), r.reference, 'riyadh-olaya', MONDAY_9 + 90 * 60_000)),
    ).toBe('already_booked');
    expect(await count('appointments')).toBe(1);
  });

  it('refused with nothing recorded: no loss report, a withdrawn one, a second request, a past slot, a closed day, another person’s request', async () => {
    const { replacements } = build(tdb.db);
    await replacements.repos.holidays.insert({
      date: '2026-02-22',
      nameAr: 'يوم التأسيس',
      nameEn: 'Founding Day',
    });
    expect(await refusal(replacements.submit(person(1), undefined))).toBe('no_loss_report');
    expect(await refusal(replacements.submit(person(1), report(1, 'withdrawn')))).toBe(
      'loss_report_not_active',
    );
    expect(await refusal(replacements.submit(person(1), report(1, 'replaced')))).toBe(
      'loss_report_not_active',
    );
    expect(await count('replacement_requests')).toBe(0);
    const r = await replacements.submit(person(1), report(1));
    expect(await refusal(replacements.submit(person(1), report(1)))).toBe('request_exists');
    const audits = await count('audit_events');

    const book = (t: number, who = person(1), office = 'riyadh-olaya') =>
      refusal(replacements.book(who, r.reference, office, t));
    expect(await book(instantOf('2026-02-12', 9 * 60))).toBe('slot_in_past');
    expect(await book(instantOf('2026-02-20', 9 * 60))).toBe('office_closed'); // Friday
    expect(await book(instantOf('2026-02-21', 9 * 60))).toBe('office_closed'); // Saturday
    expect(await book(instantOf('2026-02-22', 9 * 60))).toBe('office_closed'); // a public holiday
    expect(await book(MONDAY_9 + 60_000)).toBe('not_a_slot');
    expect(await book(Number.NaN)).toBe('not_a_slot');
    expect(await book(1e300)).toBe('not_a_slot');
    expect(await book(MONDAY_9, person(1), 'nowhere')).toBe('unknown_office');
    expect(await book(MONDAY_9, person(2))).toBe('unknown_request');
    expect(await refusal(replacements.cancel(person(2), r.reference))).toBe('unknown_request');
    expect(await refusal(replacements.book(person(1), 'RQ123', 'riyadh-olaya', MONDAY_9))).toBe(
      'bad_request_reference',
    );
    expect(await count('appointments')).toBe(0);
    expect(await count('audit_events')).toBe(audits);
    expect((await replacements.repos.requests.find(r.reference))?.status).toBe('submitted');
  });

  it('rescheduling moves the appointment; into a full slot it is refused and the old one stands; cancelling frees the seat', async () => {
    const { replacements, sent } = build(tdb.db);
    const r = await replacements.submit(person(1), report(1));
    await replacements.book(person(1), r.reference, 'riyadh-olaya', MONDAY_9);
    expect(sent.map((m) => m.to)).toEqual(['+966500000001']);
    expect(sent[0]?.text).toContain('28 شعبان 1447');
    const later = MONDAY_9 + 30 * 60_000;
    for (let i = 2; i < 2 + CAPACITY; i++) {
      const other = await replacements.submit(person(i), report(i));
      await replacements.book(person(i), other.reference, 'riyadh-olaya', later);
    }
    expect(await refusal(replacements.reschedule(person(1), r.reference, 'riyadh-olaya', later))).toBe(
      'slot_full',
    );
    expect((await replacements.repos.appointments.active(r.reference))?.startsAt).toBe(MONDAY_9);
    // Into its own slot: the same seat again, still one appointment.
    await replacements.reschedule(person(1), r.reference, 'riyadh-olaya', MONDAY_9);
    expect(await count('appointments', { request: r.reference, status: 'booked' })).toBe(1);
    const moved = await replacements.reschedule(
      person(1),
      r.reference,
      'riyadh-olaya',
      MONDAY_9 + 60 * 60_000,
    );
    expect(moved.startsAt).toBe(MONDAY_9 + 60 * 60_000);
    expect(await count('appointments', { request: r.reference, status: 'booked' })).toBe(1);
    await replacements.cancel(person(1), r.reference);
    expect((await replacements.repos.requests.find(r.reference))?.status).toBe('cancelled');
    expect(await count('appointments', { request: r.reference, status: 'booked' })).toBe(0);
    // The document may be requested again once the request is cancelled.
    await replacements.submit(person(1), report(1));
  });
});
