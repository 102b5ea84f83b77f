import type { Knex } from 'knex';
import { type Clock, systemClock } from '../shared/clock.js';
import type { IdType } from './nationalId.js';

/** One person as the civil registry knows them: the source of truth that accounts are created against. */
export interface RegistryPerson {
  nationalId: string;
  idType: IdType;
  givenNameAr: string;
  familyNameAr: string;
  givenNameEn: string;
  familyNameEn: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F';
  status: 'living' | 'deceased';
  /** contact on record: activation codes go here, never to a number the applicant typed */
  mobile: string;
  email: string | null;
  /** epoch milliseconds of the last import or update */
  updatedAt: number;
}

export type RegistryPersonInput = Omit<RegistryPerson, 'updatedAt'>;

/** A `registry_persons` row as the database returns it. */
export interface RegistryRow {
  national_id: string;
  id_type: string;
  given_name_ar: string;
  family_name_ar: string;
  given_name_en: string;
  family_name_en: string;
  birth_date: string;
  sex: string;
  status: string;
  mobile: string;
  email: string | null;
  updated_at: number | string;
}

const TABLE = 'registry_persons';
// 12 bound values a row: 500 rows stay well below SQLite's and PostgreSQL's parameter limits.
const CHUNK = 500;

function toRow(p: RegistryPersonInput, updatedAt: number): RegistryRow {
  return {
    national_id: p.nationalId,
    id_type: p.idType,
    given_name_ar: p.givenNameAr,
    family_name_ar: p.familyNameAr,
    given_name_en: p.givenNameEn,
    family_name_en: p.familyNameEn,
    birth_date: p.birthDate,
    sex: p.sex,
    status: p.status,
    mobile: p.mobile,
    email: p.email,
    updated_at: updatedAt,
  };
}

/** A person from their `registry_persons` row (also read joined to their account, see accounts/). */
export function registryPersonOf(r: RegistryRow): RegistryPerson {
  return {
    nationalId: r.national_id,
    idType: r.id_type as IdType,
    givenNameAr: r.given_name_ar,
    familyNameAr: r.family_name_ar,
    givenNameEn: r.given_name_en,
    familyNameEn: r.family_name_en,
    birthDate: r.birth_date,
    sex: r.sex as RegistryPerson['sex'],
    status: r.status as RegistryPerson['status'],
    mobile: r.mobile,
    email: r.email,
    updatedAt: Number(r.updated_at),
  };
}

/** Owns `registry_persons`. Callers pass normalised national IDs (see checkNationalId). */
export function createRegistryRepo(db: Knex, clock: Clock = systemClock) {
  async function insertChunk(conn: Knex, rows: RegistryRow[]): Promise<void> {
    await conn<RegistryRow>(TABLE).insert(rows).onConflict('national_id').merge();
  }

  return {
    async find(nationalId: string): Promise<RegistryPerson | undefined> {
      const row = await db<RegistryRow>(TABLE).where({ national_id: nationalId }).first();
      return row ? registryPersonOf(row) : undefined;
    },

    async upsert(person: RegistryPersonInput, trx?: Knex): Promise<void> {
      await insertChunk(trx ?? db, [toRow(person, clock.now())]);
    },

    /** All or nothing: runs in the given transaction, or in a new one. */
    async upsertMany(persons: readonly RegistryPersonInput[], trx?: Knex): Promise<void> {
      if (persons.length === 0) return;
      const now = clock.now();
      // PostgreSQL refuses to touch one row twice in a single INSERT … ON CONFLICT: the last entry wins.
      const rows = [...new Map(persons.map((p) => [p.nationalId, toRow(p, now)])).values()];
      const run = async (conn: Knex) => {
        for (let i = 0; i < rows.length; i += CHUNK) await insertChunk(conn, rows.slice(i, i + CHUNK));
      };
      if (trx) await run(trx);
      else await db.transaction(run);
    },

    async count(): Promise<number> {
      const row = await db(TABLE).count<{ n: number | string }[]>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },
  };
}

export type RegistryRepo = ReturnType<typeof createRegistryRepo>;
