import { Command } from 'commander';
import { createOfficesRepo, type Office } from '../replacements/officesRepo.js';
import type { Cli } from './createCli.js';
import { clockOf, dayNames } from './officeOptions.js';

export function officeRow(o: Office): Record<string, unknown> {
  return {
    id: o.id,
    name: o.nameEn,
    city: o.cityEn,
    hours: `${clockOf(o.opensAt)}-${clockOf(o.closesAt)}`,
    slot: `${o.slotMinutes} min`,
    capacity: o.capacity,
    days: dayNames(o.workingDays),
    active: o.active ? 'yes' : 'no',
  };
}

/** hawiya offices list [--json] */
export function officesListCommand(cli: Cli): Command {
  return new Command('list')
    .description('list the civil-affairs offices that take replacement appointments')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      cli.run(async ({ db, clock, out }) => {
        const offices = await createOfficesRepo({ db, clock }).list();
        if (opts.json) out.json(offices);
        else out.table(offices.map(officeRow));
      }),
    );
}
