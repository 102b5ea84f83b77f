import { readFileSync } from 'node:fs';

/** Peak resident memory of each process while a run lasts: VmRSS sampled, and the kernel's own VmHWM. */
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
      const kib = Math.max(statusKib(pid, 'VmRSS'), statusKib(pid, 'VmHWM'));
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
