// `npm run bench`: measures the compiled server against limits measured in the same run (see README,
// "Performance"). Prints one table and writes the JSON under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBenchArgs, UsageError } from './options.js';
import { formatHeader, formatTable } from './report.js';
import { runBench } from './runBench.js';
import { formatStoreCompare, runStoreCompare } from './store/storeCompare.js';

const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

try {
  const opts = parseBenchArgs(process.argv.slice(2));
  if (opts.storeCompare) {
    const compared = await runStoreCompare(
      {
        pgUrl: opts.pgUrl,
        redisUrl: opts.redisUrl,
        concurrency: [...new Set([opts.connections, 64])],
        opSeconds: opts.opSeconds,
        rounds: opts.rounds,
        e2eSeconds: opts.duration,
        e2eConcurrency: [...new Set([1, opts.connections])],
        persons: Math.max(opts.persons, 200),
        build: opts.build,
        cores: opts.cores,
      },
      say,
    );
    mkdirSync(opts.resultsDir, { recursive: true });
    const file = join(opts.resultsDir, `${compared.date.slice(0, 19).replace(/:/g, '-')}-store.json`);
    writeFileSync(file, `${JSON.stringify(compared, null, 2)}\n`);
    process.stdout.write(`${formatStoreCompare(compared)}\n\nJSON: ${file}\n`);
    process.exit(0);
  }
  const result = await runBench(opts, say);
  mkdirSync(opts.resultsDir, { recursive: true });
  const file = join(opts.resultsDir, `${result.date.slice(0, 19).replace(/:/g, '-')}-${result.engine}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${formatHeader(result)}\n\n${formatTable(result)}\n\nJSON: ${file}\n`);
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench failed: ${String((err as Error).stack ?? err).slice(0, 2000)}\n`);
  // fetch's own message ("fetch failed") names nothing: the reason is its cause
  const cause = (err as { cause?: unknown }).cause;
  if (cause) process.stderr.write(`cause: ${String((cause as Error).stack ?? cause).slice(0, 1000)}\n`);
  process.exit(1);
}
