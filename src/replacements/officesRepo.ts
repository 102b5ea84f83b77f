import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.js';
import type { OfficeHours } from './officeSlots.js';

export interface Office extends OfficeHours {
  id: string;
  nameAr: string;
  nameEn: string;
  cityAr: string;
  cityEn: string;
  active: boolean;
}

interface Row {
  id: string;
  name_ar: string;
  name_en: string;
  city_ar: string;
  city_en: string;
  opens_at: number;
  closes_at: number;
  slot_minutes: number;
  capacity: number;
  working_days: string;
  active: boolean | number;
}

const TABLE = 'offices';

function fromRow(r: Row): Office {
  return {
    id: r.id,
    nameAr: r.name_ar,
    nameEn: r.name_en,
    cityAr: r.city_ar,
    cityEn: r.city_en,
    opensAt: Number(r.opens_at),
    closesAt: Number(r.closes_at),
    slotMinutes: Number(r.slot_minutes),
    capacity: Number(r.capacity),
    workingDays: r.working_days.split(',').map(Number),
    active: Boolean(r.active),
  };
}

function toRow(o: Partial<Office>): Partial<Row> {
  const row: Partial<Row> = {};
  if (o.nameAr !== undefined) row.name_ar = o.nameAr;
  if (o.nameEn !== undefined) row.name_en = o.nameEn;
  if (o.cityAr !== undefined) row.city_ar = o.cityAr;
  if (o.cityEn !== undefined) row.city_en = o.cityEn;
  if (o.opensAt !== undefined) row.opens_at = o.opensAt;
  if (o.closesAt !== undefined) row.closes_at = o.closesAt;
  if (o.slotMinutes !== undefined) row.slot_minutes = o.slotMinutes;
  if (o.capacity !== undefined) row.capacity = o.capacity;
  if (o.workingDays !== undefined) row.working_days = o.workingDays.join(',');
  if (o.active !== undefined) row.active = o.active;
  return row;
}

/** Owns `offices`. */
export function createOfficesRepo(deps: { db: Knex; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async list(opts: { activeOnly?: boolean } = {}): Promise<Office[]> {
      const q = db<Row>(TABLE).orderBy('city_en').orderBy('id');
      if (opts.activeOnly) q.where({ active: true });
      return (await q).map(fromRow);
    },
    async find(id: string): Promise<Office | undefined> {
      const row = await db<Row>(TABLE).where({ id }).first();
      return row ? fromRow(row) : undefined;
    },
    /** false when an office with that id exists */
    async insert(office: Office): Promise<boolean> {
      const now = clock.now();
      const inserted = await db(TABLE)
        .insert({ id: office.id, ...toRow(office), created_at: now, updated_at: now })
        .onConflict('id')
        .ignore()
        .returning('id');
      return inserted.length === 1;
    },
    async update(id: string, changes: Partial<Office>): Promise<boolean> {
      const n = await db(TABLE)
        .where({ id })
        .update({ ...toRow(changes), updated_at: clock.now() });
      return n === 1;
    },
    async count(): Promise<number> {
      const [row] = await db(TABLE).count({ n: '*' });
      return Number(row?.n ?? 0);
    },
  };
}

export type OfficesRepo = ReturnType<typeof createOfficesRepo>;
