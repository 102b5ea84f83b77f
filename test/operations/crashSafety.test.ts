import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as oidc from 'openid-client';
import { afterAll, describe, expect, it } from 'vitest';
import { DEV_OFFICES } from '../../src/replacements/devOffices.js';
import { createOfficesRepo } from '../../src/replacements/officesRepo.js';
import { nodeEnv, registryPersons, type SmsCatcher, startNode } from '../helpers/hawiyaNodes.js';
import { startSmsCatcher, startSmtpCatcher } from '../helpers/messageCatchers.js';
import {
  type Person,
  registerAndActivate,
  registerTestClient,
  rpConfig,
  startLogin,
} from '../helpers/oidcLogin.js';
import { type AnsweredServiceWrites, apiToken, reportAndBook } from '../helpers/serviceLoad.js';
import type { HawiyaProcess } from '../helpers/startHawiyaProcess.js';
import type { TestIdp } from '../helpers/startTestIdp.js';
import { createTestDb, ENGINES, type TestDb } from '../helpers/testDb.js';
import { csrfOf, WebClient } from '../helpers/webClient.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What got a success answer before the crash. */
interface Answered {
  registered: Person[];
  activated: Person[];
  /** interaction uids whose sign-in code was accepted */
  signedIn: string[];
}

/** One person's journey through the node's real forms: register, activate, sign in; each success noted. */
async function journey(node: TestIdp, sms: SmsCatcher, config: oidc.Configuration, p: Person, ok: Answered) {
  const web = new WebClient();
  const csrf = csrfOf(await (await web.request(`${node.issuer}/register`)).text());
  let mark = sms.mark();
  const reg = await web.submit(
    `${node.issuer}/register`,
    { nationalId: p.nationalId, birthDate: p.birthDate, username: p.username, password: p.password },
    csrf,
  );
  if (reg.status !== 303) return;
  ok.registered.push(p);
  const act = await web.submit(
    `${node.issuer}/register/activate`,
    { code: await sms.code(p.mobile, mark) },
    csrf,
  );
  if (act.status !== 303) return;
  ok.activated.push(p);
  const login = await startLogin(node, config);
  mark = sms.mark();
  const pw = await login.web.submit(
    `${node.issuer}/interaction/${login.uid}/login`,
    { identifier: p.nationalId, password: p.password },
    login.csrf,
  );
  if (pw.status !== 303) return;
  const code = await sms.code(p.mobile, mark);
  const otp = await login.web.submit(`${node.issuer}/interaction/${login.uid}/otp`, { code }, login.csrf);
  if (otp.status === 303) ok.signedIn.push(login.uid);
}

// `kill -9` of a real node (npm start, one process: the IdP and both services) while four clients
// register, activate and sign in through its forms and three signed-in persons report lost documents, ask
// for their replacement and book the same office's first free slots through the services' APIs; then a new
// process on the same database. Every request that was answered with success is in the database, and
// nothing is half-written: no account without its password hash or with its registration flow still open,
// no open activation code without its flow, no request without its loss report, no booked request without
// its one appointment (nor an appointment without its booked request), no slot beyond its seats.
describe.each(ENGINES)('kill -9 amid sign-ups, sign-ins, reports and bookings (%s)', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'hawiya-crash-'));
  let tdb: TestDb;
  const procs: HawiyaProcess[] = [];
  let catchers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await Promise.all(catchers.map((c) => c.close()));
    await tdb?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every answered write survives, none is half-written, and the node serves again', async () => {
    tdb = await createTestDb(engine);
    const [sms, smtp] = [await startSmsCatcher(), await startSmtpCatcher()];
    catchers = [sms, smtp];
    const persons = await registryPersons(tdb.db, 60, ENGINES.indexOf(engine) + 1);
    const reporters = await registryPersons(tdb.db, 3, ENGINES.indexOf(engine) + 11);
    const env = await nodeEnv({ databaseUrl: tdb.url, dir, sms, smtp });
    const lossApi = `${env.LOSS_REPORT_URL}/api`;
    const replacementApi = `${env.REPLACEMENT_URL}/api`;
    await registerTestClient({ idp: { db: tdb.db } } as unknown as TestIdp, {
      scope: 'openid offline_access profile national_id phone email civil:loss_report civil:replacement',
      allowed_resources: [lossApi, replacementApi],
    });
    // One office of four seats a slot, so that the bookers contend for the same first free slots.
    const office = DEV_OFFICES.find((o) => o.id === 'riyadh-olaya');
    if (!office) throw new Error('no riyadh-olaya office');
    await createOfficesRepo({ db: tdb.db, clock: { now: () => Date.now() } }).insert(office);
    const first = await startNode(env);
    procs.push(first);
    const node = { issuer: env.ISSUER, fetch: globalThis.fetch, sms } as unknown as TestIdp;
    const config = await rpConfig(node);
    // The reporters sign up and get their tokens for both APIs before the load.
    const tokens = await Promise.all(
      reporters.map(async (p) => {
        await registerAndActivate(node, p);
        return {
          loss: await apiToken(node, p, lossApi, 'civil:loss_report'),
          replacement: await apiToken(node, p, replacementApi, 'civil:replacement'),
        };
      }),
    );

    const ok: Answered = { registered: [], activated: [], signedIn: [] };
    let next = 0;
    let crashed = false;
    let cut = 0;
    const client = async () => {
      while (!crashed && next < persons.length) {
        await journey(node, sms, config, persons[next++] as Person, ok).catch(() => {
          cut += 1;
        });
      }
    };
    // Each reporter reports the family record or the birth certificate of the next registry person (each
    // document once) until their registry checks run out (ten in ten minutes).
    const served: AnsweredServiceWrites = { reports: [], requests: [], bookings: [] };
    let holder = 0;
    // A service call may fail only because of the kill (set just after it): anything before is a bug.
    const serviceErrors: string[] = [];
    const reporter = async (t: { loss: string; replacement: string }) => {
      let more = true;
      while (!crashed && more) {
        const n = holder++;
        more = await reportAndBook({
          lossApi,
          replacementApi,
          tokens: t,
          holder: { nationalId: (persons[n % persons.length] as Person).nationalId, name: 'سالم الحربي' },
          documentType: n < persons.length ? 'family_record' : 'birth_certificate',
          office: office.id,
          ok: served,
        }).catch((err: Error) => {
          if (!crashed) serviceErrors.push(err.message);
          return false;
        });
      }
    };
    const clients = [client(), client(), client(), client(), ...tokens.map(reporter)];
    for (
      let i = 0;
      i < 1200 && (ok.activated.length < 4 || ok.signedIn.length < 2 || served.bookings.length < 3);
      i++
    )
      await sleep(50);
    first.child.kill('SIGKILL');
    crashed = true;
    expect(await first.exited).toBe('SIGKILL');
    expect(ok.signedIn.length).toBeGreaterThan(0);
    expect(served.bookings.length).toBeGreaterThan(0);
    expect(serviceErrors).toEqual([]);

    const second = await startNode(env);
    procs.push(second);
    const db = tdb.db;
    const accounts = await db('accounts').select('national_id', 'username', 'password_hash', 'status');
    const flows = (await db('flows').where({ kind: 'register' }).select('data')).map(
      (f) => JSON.parse(f.data) as { nationalId: string; tx: string },
    );

    // Answered, so stored: each activation is an active account with its password hash...
    for (const p of ok.activated) {
      expect(accounts.find((a) => a.national_id === p.nationalId)).toMatchObject({
        username: p.username,
        status: 'active',
      });
    }
    // ...each registration step a flow (or the account it became), each accepted sign-in code consumed.
    for (const p of ok.registered) {
      const stored =
        flows.some((f) => f.nationalId === p.nationalId) ||
        accounts.some((a) => a.national_id === p.nationalId);
      expect(stored, `registration of ${p.nationalId}`).toBe(true);
    }
    for (const uid of ok.signedIn) {
      const code = await db('otp_codes')
        .where({ binding: uid, purpose: 'login' })
        .whereNotNull('consumed_at')
        .first();
      expect(code, `sign-in ${uid}`).toBeTruthy();
    }

    // Nothing half-written.
    for (const a of accounts) {
      expect(a.password_hash).toMatch(
        /^\$argon2id\$v=19\$[mpt]=\d+,[mpt]=\d+,[mpt]=\d+\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}$/,
      );
      expect(flows.filter((f) => f.nationalId === a.national_id)).toEqual([]);
    }
    const openCodes = await db('otp_codes')
      .where({ purpose: 'activation' })
      .whereNull('consumed_at')
      .select('binding');
    for (const c of openCodes)
      expect(
        flows.some((f) => f.tx === c.binding),
        `code of ${c.binding}`,
      ).toBe(true);

    // Every answered report, request and booking is stored, the booking at the time it was given.
    const reports = await db('loss_reports').select(
      'reference',
      'document_type',
      'holder_national_id',
      'status',
    );
    for (const r of served.reports)
      expect(
        reports.find((x) => x.reference === r.reference),
        `report ${r.reference}`,
      ).toMatchObject({
        document_type: r.documentType,
        holder_national_id: r.holderNationalId,
        status: 'active',
      });
    const requests = await db('replacement_requests').select('reference', 'loss_report', 'status');
    for (const r of served.requests)
      expect(
        requests.find((x) => x.reference === r.reference),
        `request ${r.reference}`,
      ).toMatchObject({
        loss_report: r.lossReport,
      });
    const appointments = await db('appointments').select(
      'request',
      'office_id',
      'starts_at',
      'seat',
      'status',
    );
    const standing = appointments.filter((a) => a.status === 'booked');
    for (const b of served.bookings) {
      expect(requests.find((x) => x.reference === b.request)?.status, `request ${b.request}`).toBe('booked');
      expect(
        standing.filter((a) => a.request === b.request).map((a) => [a.office_id, Number(a.starts_at)]),
        `appointment of ${b.request}`,
      ).toEqual([[b.office, b.startsAt]]);
    }
    // None half-written: each request has its (active) loss report; a request is booked exactly when it
    // has one standing appointment; no slot holds more than its seats, no seat twice.
    for (const r of requests) {
      expect(reports.find((x) => x.reference === r.loss_report)?.status, `report of ${r.reference}`).toBe(
        'active',
      );
      expect(
        standing.filter((a) => a.request === r.reference).length,
        `appointments of ${r.reference} (${r.status})`,
      ).toBe(r.status === 'booked' ? 1 : 0);
    }
    const bySlot = new Map<string, number[]>();
    for (const a of standing) {
      const key = `${a.office_id} ${a.starts_at}`;
      bySlot.set(key, [...(bySlot.get(key) ?? []), Number(a.seat)]);
    }
    for (const [slot, seats] of bySlot) {
      expect(new Set(seats).size, `seats of ${slot}`).toBe(seats.length);
      expect(Math.max(...seats), `seats of ${slot}`).toBeLessThanOrEqual(office.capacity);
    }

    // The new process serves the same people: each activated person's password is accepted.
    const again = await rpConfig(node);
    // A person whose sign-in the kill cut still holds its one-at-a-time hold (10 s at most): they are asked
    // to wait a moment (429 with Retry-After), then get in. Nothing else may stand in the way.
    for (const p of ok.activated) {
      let status = 0;
      for (let tries = 0; tries < 15; tries++) {
        const login = await startLogin(node, again);
        const pw = await login.web.submit(
          `${node.issuer}/interaction/${login.uid}/login`,
          { identifier: p.nationalId, password: p.password },
          login.csrf,
        );
        status = pw.status;
        if (status !== 429) break;
        await sleep(1000);
      }
      expect(status, `password of ${p.nationalId}`).toBe(303);
    }
    // The kill came in the middle of the load: journeys in flight were cut.
    await Promise.allSettled(clients);
    expect(cut).toBeGreaterThan(0);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 150_000);
});
