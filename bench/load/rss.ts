import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { LoadFigure } from './loadRun.js';

/**
 * A measured figure with the process memory seen while it ran and the CPU time its processes used per
 * request (or login): user + system time from /proc, all processes summed. Unlike a rate, CPU per request
 * hardly moves when the load generator or another process takes the other core, so it compares the system
 * with its limit even on a shared machine.
 */
export type Measured = LoadFigure & { rssMiB: number[]; cpuUsPerUnit?: number };

/**
 * Peak resident memory of each process while a run lasts: VmRSS sampled every 200 ms (VmHWM, the kernel's
 * own peak, covers the process's whole life, so earlier runs would leak into later figures).
 */
export class RssSampler {
  private readonly peakKib = new Map<number, number>();
  private readonly firstTicks = new Map<number, number>();
  private readonly lastTicks = new Map<number, number>();
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
      const ticks = cpuTicks(pid);
      if (ticks === undefined) continue;
      if (!this.firstTicks.has(pid)) this.firstTicks.set(pid, ticks);
      this.lastTicks.set(pid, ticks);
    }
  }

  /** CPU milliseconds all processes used between start and the last sample */
  cpuMs(): number {
    let ticks = 0;
    for (const [pid, last] of this.lastTicks) ticks += last - (this.firstTicks.get(pid) ?? last);
    return (ticks * 1000) / clockTicksPerSecond();
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

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat) */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces: count fields after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Runs one measurement while sampling the memory and CPU time of `pids`. */
export async function withRss(pids: () => number[], run: () => Promise<LoadFigure>): Promise<Measured> {
  const rss = new RssSampler(pids);
  const started = performance.now();
  rss.start();
  try {
    const figure = await run();
    const rssMiB = rss.stop();
    const units = figure.count ?? figure.rate * ((performance.now() - started) / 1000);
    const cpuMs = rss.cpuMs();
    return { ...figure, rssMiB, ...(cpuMs > 0 && units > 0 ? { cpuUsPerUnit: (cpuMs * 1000) / units } : {}) };
  } finally {
    rss.stop();
  }
}
