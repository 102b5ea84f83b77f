import { Command, InvalidArgumentError, Option } from 'commander';
import type { AuditRecord } from '../shared/audit.js';
import { createAuditRepo } from '../shared/auditRepo.js';
import type { Cli } from './createCli.js';

export function parseInstant(value: string): number {
  // Dates only or full ISO 8601 timestamps; a bare date means midnight UTC.
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
  if (Number.isNaN(ms))
    throw new InvalidArgumentError('must be an ISO 8601 date or time, e.g. 2026-11-25T00:00:00Z');
  return ms;
}

const CSV_COLUMNS = [
  'id',
  'at',
  'event',
  'actor',
  'accountId',
  'nationalIdMasked',
  'ip',
  'userAgent',
  'requestId',
  'clientId',
  'factor',
  'details',
] as const;

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Quote everything that needs it, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(records: readonly AuditRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) {
    lines.push(
      CSV_COLUMNS.map((c) =>
        csvCell(c === 'at' ? new Date(r.at).toISOString() : r[c as keyof AuditRecord]),
      ).join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** hawiya audit export --since ISO --until ISO --format json|csv */
export function auditExportCommand(cli: Cli): Command {
  return new Command('export')
    .description('write the audit records of a period to stdout')
    .requiredOption('--since <iso>', 'first instant included (ISO 8601)', parseInstant)
    .option('--until <iso>', 'end of the period, excluded (ISO 8601; now by default)', parseInstant)
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .action((opts: { since: number; until?: number; format: 'json' | 'csv' }) =>
      cli.run(async ({ db, clock, out }) => {
        const until = opts.until ?? clock.now() + 1;
        if (until <= opts.since) {
          out.error('--until must be after --since');
          return 2;
        }
        const records = await createAuditRepo(db).between(opts.since, until);
        if (opts.format === 'csv') out.write(toCsv(records));
        else out.json(records.map((r) => ({ ...r, at: new Date(r.at).toISOString() })));
      }),
    );
}
