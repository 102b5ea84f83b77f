import { Command } from 'commander';
import { clockTime, localMinutesOf } from '../replacements/riyadhCalendar.js';
import type { Cli } from './createCli.js';
import { parseDate } from './holidaysCommands.js';
import { iso } from './output.js';
import { refusedAsCli, replacementDesk } from './replacementDesk.js';

/** hawiya appointments list --office <id> --date <YYYY-MM-DD> [--json] */
export function appointmentsListCommand(cli: Cli): Command {
  return new Command('list')
    .description("an office's appointments on a day (Riyadh)")
    .requiredOption('--office <id>', 'office id')
    .requiredOption('--date <date>', 'YYYY-MM-DD', parseDate)
    .option('--json', 'print JSON')
    .action((opts: { office: string; date: string; json?: boolean }) =>
      cli.run(async (ctx) => {
        const list = await refusedAsCli(replacementDesk(ctx).desk.appointmentsOn(opts.office, opts.date));
        const rows = list.map(({ appointment: a, request: r }) => ({
          time: clockTime(localMinutesOf(a.startsAt)),
          starts_at: iso(a.startsAt),
          seat: a.seat,
          status: a.status,
          request: a.request,
          document: r?.documentType,
          name: r?.requesterNameEn,
        }));
        if (opts.json) ctx.out.json(rows);
        else ctx.out.table(rows, ['time', 'seat', 'status', 'request', 'document', 'name']);
      }),
    );
}
