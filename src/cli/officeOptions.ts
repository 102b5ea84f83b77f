import { InvalidArgumentError } from 'commander';

const DAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

/** "08:00" → 480 */
export function parseClock(value: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) throw new InvalidArgumentError('must be a time HH:MM (24-hour, Riyadh)');
  return Number(m[1]) * 60 + Number(m[2]);
}

/** "sun,mon,tue,wed,thu" → [7,1,2,3,4] */
export function parseDays(value: string): number[] {
  const days = value.split(',').map((d) => DAYS[d.trim().toLowerCase()]);
  if (days.length === 0 || days.some((d) => d === undefined) || new Set(days).size !== days.length)
    throw new InvalidArgumentError('must be weekdays like sun,mon,tue,wed,thu');
  return days as number[];
}

export function parseWhole(max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
      throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    return Number(value);
  };
}

export function dayNames(days: readonly number[]): string {
  const names = Object.fromEntries(Object.entries(DAYS).map(([k, v]) => [v, k]));
  return days.map((d) => names[d]).join(',');
}

export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
