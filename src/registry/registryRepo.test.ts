import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { fakeClock } from '../shared/clock.js';
import { DEMO_PERSONS, seedDemoPersons } from './demoPersons.js';
import { checkNationalId, withCheckDigit } from './nationalId.js';
import { createRegistryRepo, type RegistryPersonInput } from './registryRepo.js';

const noura: RegistryPersonInput = {
  nationalId: '1045238712',
  idType: 'citizen',
  givenNameAr: 'نورة',
  familyNameAr: 'القحطاني',
  givenNameEn: 'Noura',
  familyNameEn: 'Al-Qahtani',
  birthDate: '1992-11-02',
  sex: 'F',
  status: 'living',
  mobile: '0557654321',
  email: null,
};

describe('DEMO_PERSONS', () => {
  it('has valid Luhn IDs whose type matches the first digit', () => {
    for (const p of DEMO_PERSONS) {
      const check = checkNationalId(p.nationalId);
      expect(check, p.nationalId).toEqual({ ok: true, nationalId: p.nationalId, idType: p.idType });
    }
  });

  it('covers two citizens, a resident and a deceased person, with unique IDs', () => {
    expect(DEMO_PERSONS.filter((p) => p.idType === 'citizen').length).toBeGreaterThanOrEqual(2);
    expect(DEMO_PERSONS.some((p) => p.idType === 'resident')).toBe(true);
    expect(DEMO_PERSONS.some((p) => p.status === 'deceased')).toBe(true);
    expect(new Set(DEMO_PERSONS.map((p) => p.nationalId)).size).toBe(DEMO_PERSONS.length);
    expect(DEMO_PERSONS[0]?.nationalId).toBe(withCheckDigit('100000000'));
  });

  it('has Saudi mobiles, example.com e-mails, Arabic and English names and real birth dates', () => {
    for (const p of DEMO_PERSONS) {
      expect(p.mobile).toMatch(/^05\d{8}$/);
      if (p.email !== null) expect(p.email).toMatch(/^[^@\s]+@example\.com$/);
      expect(p.givenNameAr + p.familyNameAr).toMatch(/^[\u0600-\u06ff ]+$/);
      expect(p.givenNameEn + p.familyNameEn).toMatch(/^[A-Za-z' -]+$/);
      expect(new Date(`${p.birthDate}T00:00:00Z`).toISOString().slice(0, 10)).toBe(p.birthDate);
    }
  });
});

describe.each(ENGINES)('registryRepo on %s', (engine) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.destroy();
    t = undefined;
  });

  it('upserts, finds by ID and maps every field to the domain type', async () => {
    t = await createTestDb(engine);
    const clock = fakeClock(1_764_000_000_000);
    const repo = createRegistryRepo(t.db, clock);
    expect(await repo.find(noura.nationalId)).toBeUndefined();
    await repo.upsert(noura);
    const found = await repo.find(noura.nationalId);
    expect(found).toEqual({ ...noura, updatedAt: 1_764_000_000_000 });
    expect(typeof found?.updatedAt).toBe('number');
    expect(await repo.find('1000000008')).toBeUndefined();
  });

  it('a second upsert of the same ID updates the row instead of adding one', async () => {
    t = await createTestDb(engine);
    const clock = fakeClock(1_764_000_000_000);
    const repo = createRegistryRepo(t.db, clock);
    await repo.upsert(noura);
    clock.advance(60_000);
    await repo.upsert({ ...noura, status: 'deceased', mobile: '0500000001', email: 'noura@example.com' });
    expect(await repo.count()).toBe(1);
    expect(await repo.find(noura.nationalId)).toMatchObject({
      status: 'deceased',
      mobile: '0500000001',
      email: 'noura@example.com',
      updatedAt: 1_764_000_060_000,
    });
  });

  it('upsertMany inserts and updates in bulk, more rows than one insert chunk', async () => {
    t = await createTestDb(engine);
    const repo = createRegistryRepo(t.db);
    const many = Array.from({ length: 1203 }, (_, i) => ({
      ...noura,
      nationalId: withCheckDigit(String(100_000_000 + i)),
    }));
    await repo.upsertMany(many);
    expect(await repo.count()).toBe(1203);
    await repo.upsertMany([...many.slice(0, 10).map((p) => ({ ...p, sex: 'M' as const })), { ...noura }]);
    expect(await repo.count()).toBe(1204);
    expect((await repo.find(many[5]!.nationalId))?.sex).toBe('M');
    expect((await repo.find(many[500]!.nationalId))?.sex).toBe('F');
  });

  it('upsertMany keeps the last entry when an ID repeats in one call', async () => {
    t = await createTestDb(engine);
    const repo = createRegistryRepo(t.db);
    await repo.upsertMany([noura, { ...noura, givenNameEn: 'Nora' }]);
    expect(await repo.count()).toBe(1);
    expect((await repo.find(noura.nationalId))?.givenNameEn).toBe('Nora');
  });

  it('upsertMany is all or nothing: a failing row rolls back the rows before it', async () => {
    t = await createTestDb(engine);
    const repo = createRegistryRepo(t.db);
    const ok = Array.from({ length: 600 }, (_, i) => ({
      ...noura,
      nationalId: withCheckDigit(String(200_000_000 + i)),
    }));
    // the second chunk holds a row that violates NOT NULL
    const broken = { ...noura, nationalId: '1000000008', givenNameAr: null as unknown as string };
    await expect(repo.upsertMany([...ok, broken])).rejects.toThrow();
    expect(await repo.count()).toBe(0);
  });

  it('upsert and upsertMany join a caller transaction and roll back with it', async () => {
    t = await createTestDb(engine);
    const repo = createRegistryRepo(t.db);
    await expect(
      t.db.transaction(async (trx) => {
        await repo.upsert(noura, trx);
        await repo.upsertMany([{ ...noura, nationalId: '1000000008' }], trx);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await repo.count()).toBe(0);
    await t.db.transaction(async (trx) => {
      await repo.upsertMany([noura], trx);
    });
    expect(await repo.count()).toBe(1);
  });

  it('seedDemoPersons is repeatable and keeps the deceased status', async () => {
    t = await createTestDb(engine);
    const repo = createRegistryRepo(t.db);
    await seedDemoPersons(repo);
    await seedDemoPersons(repo);
    expect(await repo.count()).toBe(DEMO_PERSONS.length);
    const deceased = DEMO_PERSONS.find((p) => p.status === 'deceased')!;
    expect(await repo.find(deceased.nationalId)).toMatchObject({ ...deceased });
    expect(await repo.find('1000000008')).toMatchObject({ givenNameEn: 'Mohammed', idType: 'citizen' });
  });
});
