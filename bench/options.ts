import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

export const SCENARIOS = [
  'discovery',
  'jwks',
  'userinfo',
  'userinfo_first',
  'introspection',
  'refresh',
  'code',
  'client_credentials',
  'login',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  engine: 'sqlite' | 'pg';
  /** PostgreSQL server (without a database name) on which a fresh database is created and dropped */
  pgUrl: string;
  workers: number;
  persons: number;
  /** access and refresh tokens stored before the runs (half each), besides the pools */
  tokens: number;
  scenarios: ScenarioName[];
  /** seconds per run */
  duration: number;
  /** concurrent connections of the load generator (the issue measured with wrk -c8) */
  connections: number;
  /** system run then limit run, this many times per scenario; the medians are reported */
  rounds: number;
  /** run `npm run build` first (off only when dist/ is known to be current, e.g. the bench's own test) */
  build: boolean;
  /** where the JSON goes */
  resultsDir: string;
  /** use wrk for fixed requests when it is on the PATH */
  wrk: boolean;
  /** measure the limits (off only in the bench's own test, to stay quick) */
  limits: boolean;
  /** after the rounds, each token route again at half its peak rate, for its p99 there (issue 12's target) */
  halfRate: boolean;
  cores: number;
  /** --store-compare: PostgreSQL against Redis for the short-lived models and counters instead of the scenarios */
  storeCompare: boolean;
  redisUrl: string;
  /** --store-compare: seconds per operation figure (--duration is then the end-to-end stretch) */
  opSeconds: number;
}

const USAGE = `npm run bench -- [--pg] [--workers N] [--persons N] [--tokens N] [--scenarios a,b]
  [--duration S] [--connections N] [--rounds N] [--no-build] [--no-wrk] [--no-limits] [--no-half-rate]
  [--results DIR]
scenarios: ${SCENARIOS.join(', ')}
npm run bench -- --store-compare [--op-seconds S] [--duration S] [--rounds N] [--redis-url URL] [--pg-url URL]
  PostgreSQL (the app's code) against Redis for the short-lived models and counters, at 8 and 64 at once
  (--connections sets the first), and their share of a login's and a refresh's wall time on PostgreSQL`;

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      pg: { type: 'boolean', default: false },
      'pg-url': { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432' },
      workers: { type: 'string', default: '1' },
      persons: { type: 'string', default: '1000' },
      tokens: { type: 'string', default: '0' },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '1' },
      'no-build': { type: 'boolean', default: false },
      'no-wrk': { type: 'boolean', default: false },
      'no-limits': { type: 'boolean', default: false },
      'no-half-rate': { type: 'boolean', default: false },
      results: { type: 'string', default: 'bench/results' },
      'store-compare': { type: 'boolean', default: false },
      'redis-url': { type: 'string', default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
      'op-seconds': { type: 'string', default: '2' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new UsageError(USAGE);
  const int = (name: string, v: string, min: number) => {
    if (!/^\d+$/.test(v) || Number(v) < min)
      throw new UsageError(`--${name} must be a whole number ≥ ${min}\n${USAGE}`);
    return Number(v);
  };
  const scenarios = values.scenarios
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scenarios.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new UsageError(`unknown scenario ${unknown.join(', ')}\n${USAGE}`);
  return {
    engine: values.pg ? 'pg' : 'sqlite',
    pgUrl: values['pg-url'].replace(/\/$/, ''),
    workers: int('workers', values.workers, 1),
    persons: int('persons', values.persons, 10),
    tokens: int('tokens', values.tokens, 0),
    scenarios: scenarios as ScenarioName[],
    duration: int('duration', values.duration, 1),
    connections: int('connections', values.connections, 1),
    rounds: int('rounds', values.rounds, 1),
    build: !values['no-build'],
    resultsDir: values.results,
    wrk: !values['no-wrk'],
    limits: !values['no-limits'],
    halfRate: !values['no-half-rate'],
    cores: availableParallelism(),
    storeCompare: values['store-compare'],
    redisUrl: values['redis-url'],
    opSeconds: int('op-seconds', values['op-seconds'], 1),
  };
}

export class UsageError extends Error {}
