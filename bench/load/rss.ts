import { readFileSync } from 'node:fs';
import type { LoadFigure } from './loadRun.js';

/** A measured figure with the process memory seen while it ran. */
export type Measured = LoadFigure & { rssMiB: number[] };

/**
 * Peak resident memory of each process while a run lasts: VmRSS sampled every 200 ms (VmHWM, the kernel's
 * own peak, covers the process's whole life, so earlier runs would leak into later figures).
 */
export class RssSampler {
  private readonly peakKib = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: () => number[]) {}

  start(everyMs = 200): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    for (const pid of this.pids()) {
      const kib = statusKib(pid, 'VmRSS');
      if (kib > (this.peakKib.get(pid) ?? 0)) this.peakKib.set(pid, kib);
    }
  }

  /** MiB per process, in pid order (the primary first when it is the lowest) */
  stop(): number[] {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return [...this.peakKib.entries()].sort(([a], [b]) => a - b).map(([, kib]) => Math.round(kib / 1024));
  }
}

function statusKib(pid: number, field: string): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m?.[1] ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs one measurement while sampling the memory of `pids`. */
export async function withRss(pids: () => number[], run: () => Promise<LoadFigure>): Promise<Measured> {
  const rss = new RssSampler(pids);
  rss.start();
  try {
    const figure = await run();
    return { ...figure, rssMiB: rss.stop() };
  } finally {
    rss.stop();
  }
}
