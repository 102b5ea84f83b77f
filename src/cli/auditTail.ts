import { Command, InvalidArgumentError } from 'commander';
import type { AuditRecord } from '../shared/audit.js';
import { createAuditRepo } from '../shared/auditRepo.js';
import type { Cli } from './createCli.js';
import { iso } from './output.js';

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 10000) {
    throw new InvalidArgumentError('must be a whole number from 1 to 10000');
  }
  return Number(value);
}

export function auditRow(r: AuditRecord): Record<string, unknown> {
  return {
    at: iso(r.at),
    event: r.event,
    actor: r.actor,
    account: r.accountId,
    subject: r.nationalIdMasked,
    client: r.clientId,
    ip: r.ip,
    details: Object.keys(r.details).length > 0 ? r.details : undefined,
  };
}

/** hawiya audit tail [-n 20] */
export function auditTailCommand(cli: Cli): Command {
  return new Command('tail')
    .description('show the latest audit records')
    .option('-n, --lines <count>', 'how many records', parseCount, 20)
    .option('--json', 'print JSON')
    .action((opts: { lines: number; json?: boolean }) =>
      cli.run(async ({ db, out }) => {
        const records = await createAuditRepo(db).tail(opts.lines);
        if (opts.json) out.json(records);
        else
          out.table(records.map(auditRow), [
            'at',
            'event',
            'actor',
            'account',
            'subject',
            'client',
            'ip',
            'details',
          ]);
      }),
    );
}
