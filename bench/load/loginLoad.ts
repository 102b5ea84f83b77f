import type { LoadFigure } from './loadRun.js';

export /** `connections` people logging in at once, each starting another login when one ends, for `duration`. */
async function loginLoad(opts: {
  connections: number;
  duration: number;
  login: () => Promise<unknown>;
}): Promise<LoadFigure> {
  const start = Date.now();
  const until = start + opts.duration * 1000;
  const times: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  await Promise.all(
    Array.from({ length: opts.connections }, async () => {
      while (Date.now() < until) {
        const t = performance.now();
        try {
          await opts.login();
          times.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ??= (err as Error).message;
        }
      }
    }),
  );
  if (firstError) process.stderr.write(`login errors (${errors}), first: ${firstError}\n`);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return {
    rate: times.length / opts.duration,
    count: times.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
    tool: 'bench login driver',
  };
}
