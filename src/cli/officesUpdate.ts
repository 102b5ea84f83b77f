import { Command } from 'commander';
import { createOfficesRepo, type Office } from '../replacements/officesRepo.js';
import { CliRefused } from './cliErrors.js';
import type { Cli } from './createCli.js';
import { type OfficeOpts, officeProblems, withOfficeOptions } from './officesAdd.js';

/** hawiya offices update <id> [--capacity 4 …] [--inactive|--active] */
export function officesUpdateCommand(cli: Cli): Command {
  return withOfficeOptions(new Command('update'))
    .description("change an office's names, hours, slots, capacity or days; --inactive stops new bookings")
    .argument('<id>', 'office id')
    .option('--inactive', 'take no new bookings')
    .option('--active', 'take bookings again')
    .action((id: string, opts: OfficeOpts & { inactive?: boolean; active?: boolean }) =>
      cli.run(async ({ db, clock, audit, out, actor }) => {
        const repo = createOfficesRepo({ db, clock });
        const current = await repo.find(id);
        if (!current) throw new CliRefused(`no office ${id}`);
        if (opts.inactive && opts.active) throw new CliRefused('--active or --inactive, not both');
        const changes: Partial<Office> = {
          ...(opts.nameAr !== undefined ? { nameAr: opts.nameAr } : {}),
          ...(opts.nameEn !== undefined ? { nameEn: opts.nameEn } : {}),
          ...(opts.cityAr !== undefined ? { cityAr: opts.cityAr } : {}),
          ...(opts.cityEn !== undefined ? { cityEn: opts.cityEn } : {}),
          ...(opts.opens !== undefined ? { opensAt: opts.opens } : {}),
          ...(opts.closes !== undefined ? { closesAt: opts.closes } : {}),
          ...(opts.slotMinutes !== undefined ? { slotMinutes: opts.slotMinutes } : {}),
          ...(opts.capacity !== undefined ? { capacity: opts.capacity } : {}),
          ...(opts.days !== undefined ? { workingDays: opts.days } : {}),
          ...(opts.inactive ? { active: false } : opts.active ? { active: true } : {}),
        };
        if (Object.keys(changes).length === 0) throw new CliRefused('nothing to change');
        const next = { ...current, ...changes };
        const problems = officeProblems(next);
        if (problems.length > 0) throw new CliRefused(problems.join('; '));
        await repo.update(id, changes);
        await audit.record({
          event: 'office_updated',
          actor,
          details: { office: id, changed: Object.keys(changes) },
        });
        if (opts.json) out.json(next);
        else out.line(`office ${id} updated`);
      }),
    );
}
