import { Worker } from 'node:worker_threads';
import type { LoadFigure } from '../load/loadRun.js';

/**
 * A CPU ceiling: one worker thread per core repeating one operation (argon2id verify with the configured
 * parameters, or an ES256 JWT signature) for `seconds`; the ceiling is the operations per second of all cores.
 */
export async function cpuCeiling(opts: {
  kind: 'argon2' | 'jwt';
  cores: number;
  seconds: number;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
}): Promise<LoadFigure> {
  const runs = await Promise.all(
    Array.from({ length: opts.cores }, () => {
      const worker = new Worker(new URL('./cpuWorker.mjs', import.meta.url), {
        workerData: { kind: opts.kind, seconds: opts.seconds, argon2: opts.argon2 },
      });
      return new Promise<number[]>((resolve, reject) => {
        worker.once('message', (times: number[]) => resolve(times));
        worker.once('error', reject);
      }).finally(() => worker.terminate());
    }),
  );
  const all = runs.flat().sort((a, b) => a - b);
  const at = (q: number) => all[Math.min(all.length - 1, Math.floor(q * all.length))] ?? 0;
  return {
    rate: all.length / opts.seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors: 0,
    tool: 'worker_threads',
  };
}
