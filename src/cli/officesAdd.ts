import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_WORKING_DAYS } from '../replacements/officeSlots.js';
import { createOfficesRepo, type Office } from '../replacements/officesRepo.js';
import { CliRefused } from './cliErrors.js';
import type { Cli } from './createCli.js';
import { parseClock, parseDays, parseWhole } from './officeOptions.js';

function parseId(value: string): string {
  if (!/^[a-z0-9][a-z0-9-]{1,31}$/.test(value))
    throw new InvalidArgumentError('must be 2-32 lower-case letters, digits and dashes');
  return value;
}

export interface OfficeOpts {
  nameAr?: string;
  nameEn?: string;
  cityAr?: string;
  cityEn?: string;
  opens?: number;
  closes?: number;
  slotMinutes?: number;
  capacity?: number;
  days?: number[];
  json?: boolean;
}

/** The office options shared by add and update. */
export function withOfficeOptions(cmd: Command): Command {
  return cmd
    .option('--name-ar <name>', 'Arabic name')
    .option('--name-en <name>', 'English name')
    .option('--city-ar <city>', 'Arabic city name')
    .option('--city-en <city>', 'English city name')
    .option('--opens <HH:MM>', 'first slot starts (Riyadh time)', parseClock)
    .option('--closes <HH:MM>', 'the last slot ends by then', parseClock)
    .option('--slot-minutes <n>', 'slot length in minutes', parseWhole(240))
    .option('--capacity <n>', 'people per slot', parseWhole(100))
    .option('--days <days>', 'working days (default sun,mon,tue,wed,thu)', parseDays)
    .option('--json', 'print JSON');
}

/** Problems of a whole office (hours that hold no slot, empty names). */
export function officeProblems(o: Office): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries({
    nameAr: o.nameAr,
    nameEn: o.nameEn,
    cityAr: o.cityAr,
    cityEn: o.cityEn,
  }))
    if (!v || v.trim().length === 0 || v.length > 200)
      problems.push(`${k} is required (at most 200 characters)`);
  if (o.closesAt - o.opensAt < o.slotMinutes) problems.push('the hours must hold at least one slot');
  return problems;
}

/** hawiya offices add <id> --name-ar … --name-en … --city-ar … --city-en … [--opens 08:00 …] */
export function officesAddCommand(cli: Cli): Command {
  return withOfficeOptions(new Command('add'))
    .description('add a civil-affairs office')
    .argument('<id>', 'short id, e.g. riyadh-olaya', parseId)
    .action((id: string, opts: OfficeOpts) =>
      cli.run(async ({ db, clock, audit, out, actor }) => {
        const office: Office = {
          id,
          nameAr: opts.nameAr ?? '',
          nameEn: opts.nameEn ?? '',
          cityAr: opts.cityAr ?? '',
          cityEn: opts.cityEn ?? '',
          opensAt: opts.opens ?? 8 * 60,
          closesAt: opts.closes ?? 14 * 60,
          slotMinutes: opts.slotMinutes ?? 30,
          capacity: opts.capacity ?? 2,
          workingDays: opts.days ?? DEFAULT_WORKING_DAYS,
          active: true,
        };
        const problems = officeProblems(office);
        if (problems.length > 0) throw new CliRefused(problems.join('; '));
        if (!(await createOfficesRepo({ db, clock }).insert(office)))
          throw new CliRefused(`office ${id} exists`);
        await audit.record({ event: 'office_added', actor, details: { office: id } });
        if (opts.json) out.json(office);
        else out.line(`office ${id} added`);
      }),
    );
}
