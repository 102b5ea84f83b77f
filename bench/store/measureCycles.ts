/** One store's figure for one cycle at one concurrency. */
export interface CycleFigure {
  cyclesPerSecond: number;
  /** per cycle, milliseconds */
  p50Ms: number;
  p99Ms: number;
  /** the bench process's CPU time per cycle (driver, client library, the app's code on the PostgreSQL side) */
  cpuUsPerCycle: number;
  cycles: number;
  errors: number;
}

/** `concurrency` loops running `cycle` back to back for `seconds`. */
export async function measureCycles(
  cycle: () => Promise<void>,
  opts: { concurrency: number; seconds: number },
): Promise<CycleFigure> {
  const times: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const until = start + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await cycle();
          times.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ??= (err as Error).message;
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (firstError) process.stderr.write(`store cycle errors (${errors}), first: ${firstError}\n`);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return {
    cyclesPerSecond: times.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    cpuUsPerCycle: times.length ? (cpu.user + cpu.system) / times.length : 0,
    cycles: times.length,
    errors,
  };
}
