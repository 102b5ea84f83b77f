import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import { importRegistryCsv } from '../registry/index.js';
import { CliRefused } from './cliErrors.js';
import { type Cli, EXIT_FAILED, EXIT_OK } from './createCli.js';

/** hawiya registry import FILE.csv: all or nothing unless --skip-bad. */
export function registryImportCommand(cli: Cli): Command {
  return new Command('import')
    .description('import a civil-registry CSV export; any bad row stops the import unless --skip-bad')
    .argument('<file>', 'CSV file with the header national_id,id_type,given_name_ar,…')
    .option('--skip-bad', 'import the good rows and report the bad ones')
    .option('--json', 'print JSON')
    .action((file: string, opts: { skipBad?: boolean; json?: boolean }) =>
      cli.run(async ({ db, clock, audit, out, actor }) => {
        let csv: string;
        try {
          csv = readFileSync(file, 'utf8');
        } catch (err) {
          throw new CliRefused(
            `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
          );
        }
        const result = await importRegistryCsv({ db, csv, skipBad: opts.skipBad === true, clock });
        const failed = result.bad.length > 0 && (result.imported === 0 || !opts.skipBad);
        if (result.imported > 0) {
          await audit.record({
            event: 'registry_imported',
            actor,
            details: {
              file: basename(file),
              imported: result.imported,
              badLines: result.bad.map((b) => b.line),
            },
          });
        }
        if (opts.json) {
          out.json(result);
        } else {
          for (const b of result.bad) out.line(`line ${b.line}: ${b.errors.join('; ')}`);
          if (failed)
            out.line(
              `${result.bad.length} bad line(s): nothing imported${opts.skipBad ? '' : ' (fix them, or use --skip-bad)'}`,
            );
          else
            out.line(
              `imported ${result.imported} person(s)${result.bad.length ? `, skipped ${result.bad.length} bad line(s)` : ''}`,
            );
        }
        return failed ? EXIT_FAILED : EXIT_OK;
      }),
    );
}
