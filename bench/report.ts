import { cpus, totalmem } from 'node:os';
import type { LoadFigure } from './load/loadRun.js';
import type { BenchOptions } from './options.js';

export interface Figure extends LoadFigure {
  /** peak resident memory per process while the figure was measured, MiB */
  rssMiB: number[];
  /** CPU time of the server's processes per request (or login), µs; a CPU ceiling's: cores ÷ rate */
  cpuUsPerUnit?: number;
}

export interface ScenarioResult {
  name: string;
  unit: string;
  system: Figure;
  /**
   * share: the system's rate over the limit's; cpuShare: the limit's CPU per request over the system's
   * (how close the system comes to the limit's cost, whatever else ran on the machine meanwhile)
   */
  limits: (Figure & { name: string; share: number; cpuShare?: number })[];
  rounds: number;
  /** a token route again, paced at half the system's (median) peak rate: its latency there */
  atHalfRate?: Figure & { target: number };
}

export interface BenchResult {
  schema: 'hawiya-bench/1';
  date: string;
  engine: 'sqlite' | 'pg';
  database: string;
  machine: { cores: number; cpu: string; memoryMiB: number; node: string };
  options: Omit<BenchOptions, 'resultsDir'> & { resultsDir: undefined };
  relaxations: string[];
  /** how the limits were measured */
  limitNotes: string[];
  seeding: Record<string, unknown>;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  scenarios: ScenarioResult[];
}

export function machine(cores: number): BenchResult['machine'] {
  return {
    cores,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
  };
}

/** The run with the median rate (its own latencies and memory with it). */
export function median<T extends Figure>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => a.rate - b.rate);
  const m = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!m) throw new Error('no run to take the median of');
  return m;
}

const num = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en') : v.toFixed(1));
const ms = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(2));
const cpu = (us: number | undefined) => (us === undefined ? '—' : Math.round(us).toLocaleString('en'));

/** One table: each figure beside its limits, the share, latency, and peak memory of each process. */
export function formatTable(result: BenchResult): string {
  const rows: string[][] = [
    [
      'scenario',
      'figure',
      'limit',
      'limit figure',
      'share',
      'CPU µs',
      'CPU share',
      'p50 ms',
      'p99 ms',
      'errors',
      'peak RSS MiB',
    ],
  ];
  for (const s of result.scenarios) {
    const sys = s.system;
    rows.push([
      s.name,
      `${num(sys.rate)} ${s.unit}`,
      s.limits[0]?.name ?? '—',
      s.limits[0] ? num(s.limits[0].rate) : '—',
      s.limits[0] ? `${Math.round(s.limits[0].share * 100)}%` : '—',
      cpu(sys.cpuUsPerUnit),
      s.limits[0]?.cpuShare !== undefined ? `${Math.round(s.limits[0].cpuShare * 100)}%` : '—',
      ms(sys.p50Ms),
      ms(sys.p99Ms),
      String(sys.errors),
      sys.rssMiB.join(' / '),
    ]);
    for (const l of s.limits) {
      rows.push([
        `  ${l.name}`,
        `${num(l.rate)} ${s.unit}`,
        '',
        '',
        '',
        cpu(l.cpuUsPerUnit),
        '',
        ms(l.p50Ms),
        ms(l.p99Ms),
        String(l.errors),
        l.rssMiB.join(' / '),
      ]);
    }
    const half = s.atHalfRate;
    if (half)
      rows.push([
        `  at ½ peak (${num(half.target)} paced)`,
        `${num(half.rate)} ${s.unit}`,
        '',
        '',
        '',
        cpu(half.cpuUsPerUnit),
        '',
        ms(half.p50Ms),
        ms(half.p99Ms),
        String(half.errors),
        half.rssMiB.join(' / '),
      ]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const line = (r: string[]) => `| ${r.map((v, c) => v.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join(
    '\n',
  );
}

export function formatHeader(result: BenchResult): string {
  const o = result.options;
  return [
    `Hawiya bench ${result.date} · ${result.machine.cores} cores (${result.machine.cpu}), ${result.machine.memoryMiB} MiB, Node ${result.machine.node}`,
    `database: ${result.database}; WORKERS=${o.workers}; ${o.persons.toLocaleString('en')} persons (seeded in ${result.seeding.personsSeconds}s, one argon2id hash shared); ${o.tokens.toLocaleString('en')} stored tokens`,
    `load: ${o.connections} connections, ${o.duration}s per run, ${o.rounds} round(s), system and limits alternated; argon2id m=${result.argon2.memoryCost} t=${result.argon2.timeCost} p=${result.argon2.parallelism}`,
    `load generators: ${[...new Set(result.scenarios.flatMap((s) => [s.system.tool, ...s.limits.map((l) => l.tool)]))].join(', ')}`,
    'production settings (NODE_ENV=production, compiled dist/, views cached), except:',
    ...result.relaxations.map((r) => `  - ${r}`),
    'limits:',
    ...result.limitNotes.map((r) => `  - ${r}`),
  ].join('\n');
}
