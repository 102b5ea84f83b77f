import type { Clock } from '../shared/clock.js';
import type { HolidaysRepo, PublicHoliday } from './holidaysRepo.js';
import { DEFAULT_WORKING_DAYS } from './officeSlots.js';
import type { Office, OfficesRepo } from './officesRepo.js';
import { addDays, hijriParts, type LocalDate, localDateOf } from './riyadhCalendar.js';

// Development data (SEED_DEMO): civil-affairs offices in several cities and the public holidays around
// now. Production offices and holidays are the staff's (hawiya offices add, hawiya holidays add).

const hours = { opensAt: 8 * 60, closesAt: 14 * 60, workingDays: DEFAULT_WORKING_DAYS, active: true };

export const DEV_OFFICES: readonly Office[] = [
  {
    id: 'riyadh-olaya',
    nameAr: 'مكتب الأحوال المدنية بالعليا',
    nameEn: 'Civil Affairs, Olaya',
    cityAr: 'الرياض',
    cityEn: 'Riyadh',
    slotMinutes: 20,
    capacity: 4,
    ...hours,
  },
  {
    id: 'jeddah-rawdah',
    nameAr: 'مكتب الأحوال المدنية بالروضة',
    nameEn: 'Civil Affairs, Al-Rawdah',
    cityAr: 'جدة',
    cityEn: 'Jeddah',
    slotMinutes: 30,
    capacity: 3,
    ...hours,
  },
  {
    id: 'dammam-faisaliah',
    nameAr: 'مكتب الأحوال المدنية بالفيصلية',
    nameEn: 'Civil Affairs, Al-Faisaliah',
    cityAr: 'الدمام',
    cityEn: 'Dammam',
    slotMinutes: 30,
    capacity: 2,
    ...hours,
    closesAt: 12 * 60,
  },
  {
    id: 'abha-center',
    nameAr: 'مكتب الأحوال المدنية بأبها',
    nameEn: 'Civil Affairs, Abha',
    cityAr: 'أبها',
    cityEn: 'Abha',
    slotMinutes: 30,
    capacity: 1,
    ...hours,
  },
];

/**
 * The Kingdom's public holidays between two dates: Founding Day (22 February), National Day
 * (23 September), and the Eid holidays fixed in the Umm al-Qura calendar (1-4 Shawwal, 9-12 Dhu al-Hijja).
 */
export function publicHolidaysBetween(from: LocalDate, to: LocalDate): PublicHoliday[] {
  const out: PublicHoliday[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const md = d.slice(5);
    const h = hijriParts(d);
    if (md === '02-22') out.push({ date: d, nameAr: 'يوم التأسيس', nameEn: 'Founding Day' });
    else if (md === '09-23') out.push({ date: d, nameAr: 'اليوم الوطني', nameEn: 'National Day' });
    else if (h.month === 10 && h.day <= 4) out.push({ date: d, nameAr: 'عيد الفطر', nameEn: 'Eid al-Fitr' });
    else if (h.month === 12 && h.day >= 9 && h.day <= 12)
      out.push({ date: d, nameAr: 'عيد الأضحى', nameEn: 'Eid al-Adha' });
  }
  return out;
}

/** Seeds the development offices and this year's and next year's holidays; leaves existing ones alone. */
export async function seedDevOffices(deps: { offices: OfficesRepo; holidays: HolidaysRepo; clock: Clock }) {
  for (const office of DEV_OFFICES) await deps.offices.insert(office);
  const today = localDateOf(deps.clock.now());
  for (const h of publicHolidaysBetween(addDays(today, -30), addDays(today, 400)))
    await deps.holidays.insert(h);
}
