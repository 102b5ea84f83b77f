import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.js';
import type { LocalDate } from './riyadhCalendar.js';

export interface PublicHoliday {
  date: LocalDate;
  nameAr: string;
  nameEn: string;
}

const TABLE = 'public_holidays';

/** Owns `public_holidays`: days every office is closed. */
export function createHolidaysRepo(deps: { db: Knex; clock: Clock }) {
  const { db, clock } = deps;
  return {
    /** false when that date is already a holiday */
    async insert(h: PublicHoliday): Promise<boolean> {
      const inserted = await db(TABLE)
        .insert({ date: h.date, name_ar: h.nameAr, name_en: h.nameEn, created_at: clock.now() })
        .onConflict('date')
        .ignore()
        .returning('date');
      return inserted.length === 1;
    },
    async list(range: { from?: LocalDate; to?: LocalDate } = {}): Promise<PublicHoliday[]> {
      const q = db(TABLE).orderBy('date');
      if (range.from) q.where('date', '>=', range.from);
      if (range.to) q.where('date', '<=', range.to);
      const rows: { date: string; name_ar: string; name_en: string }[] = await q;
      return rows.map((r) => ({ date: r.date, nameAr: r.name_ar, nameEn: r.name_en }));
    },
    async dates(range: { from: LocalDate; to: LocalDate }): Promise<Set<string>> {
      const rows: { date: string }[] = await db(TABLE)
        .whereBetween('date', [range.from, range.to])
        .select('date');
      return new Set(rows.map((r) => r.date));
    },
  };
}

export type HolidaysRepo = ReturnType<typeof createHolidaysRepo>;
