import { Command, InvalidArgumentError } from 'commander';
import { createHolidaysRepo } from '../replacements/holidaysRepo.js';
import { isLocalDate } from '../replacements/riyadhCalendar.js';
import { CliRefused } from './cliErrors.js';
import type { Cli } from './createCli.js';

export function parseDate(value: string): string {
  if (!isLocalDate(value)) throw new InvalidArgumentError('must be a date YYYY-MM-DD');
  return value;
}

/** hawiya holidays add <date> --name-ar … --name-en … */
export function holidaysAddCommand(cli: Cli): Command {
  return new Command('add')
    .description('close every office on a date (public holiday)')
    .argument('<date>', 'YYYY-MM-DD (Riyadh)', parseDate)
    .requiredOption('--name-ar <name>', 'Arabic name')
    .requiredOption('--name-en <name>', 'English name')
    .option('--json', 'print JSON')
    .action((date: string, opts: { nameAr: string; nameEn: string; json?: boolean }) =>
      cli.run(async ({ db, clock, audit, out, actor }) => {
        const holiday = { date, nameAr: opts.nameAr.slice(0, 200), nameEn: opts.nameEn.slice(0, 200) };
        if (!(await createHolidaysRepo({ db, clock }).insert(holiday)))
          throw new CliRefused(`${date} is already a holiday`);
        await audit.record({ event: 'holiday_added', actor, details: { date } });
        if (opts.json) out.json(holiday);
        else out.line(`${date} added: offices closed`);
      }),
    );
}

/** hawiya holidays list [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] */
export function holidaysListCommand(cli: Cli): Command {
  return new Command('list')
    .description('list the public holidays')
    .option('--from <date>', 'from this date', parseDate)
    .option('--to <date>', 'until this date', parseDate)
    .option('--json', 'print JSON')
    .action((opts: { from?: string; to?: string; json?: boolean }) =>
      cli.run(async ({ db, clock, out }) => {
        const list = await createHolidaysRepo({ db, clock }).list({ from: opts.from, to: opts.to });
        if (opts.json) out.json(list);
        else out.table(list.map((h) => ({ date: h.date, name: h.nameEn, name_ar: h.nameAr })));
      }),
    );
}
