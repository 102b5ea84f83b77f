import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createDb } from '../../src/db/createDb.js';
import { oidcIdKeys } from '../../src/oidc/knexAdapter.js';
import { machine } from '../report.js';
import { freshDatabase } from '../system/freshDatabase.js';
import { startMessageStandIns } from '../system/messageStandIns.js';
import { ROOT } from '../system/startSystem.js';
import { makeBenchCertificate } from '../system/tls.js';
import { type DurableRedis, startDurableRedis } from './durableRedis.js';
import { type EndToEndFigure, endToEndShare } from './endToEnd.js';
import { type CycleFigure, measureCycles } from './measureCycles.js';
import { createRedisStore } from './redisStore.js';
import { storeCycles } from './storeCycles.js';

export interface StoreCompareOptions {
  /** PostgreSQL server (without a database name): a new database is created and dropped */
  pgUrl: string;
  redisUrl: string;
  /** concurrent loops per measurement (the bench's 8, and 64) */
  concurrency: number[];
  /** seconds per cycle, store and concurrency */
  opSeconds: number;
  /** pg then Redis, this many times per cycle and concurrency; the medians are reported */
  rounds: number;
  /** seconds per end-to-end stretch (logins, refresh grants) at each concurrency */
  e2eSeconds: number;
  /** concurrencies of the end-to-end stretches (1: no queueing in the figure) */
  e2eConcurrency: number[];
  /** persons seeded for the end-to-end logins */
  persons: number;
  build: boolean;
  cores: number;
}

export interface StoreCompareResult {
  schema: 'hawiya-store-compare/1';
  date: string;
  machine: ReturnType<typeof machine>;
  options: StoreCompareOptions;
  stores: { pg: string; redis: string; redisDurable?: string };
  /** the machine's 1-minute load average at the start and at the end (others' work inflates every figure) */
  loadAverage: { start: number; end: number };
  cycles: {
    name: string;
    does: string;
    steps: number;
    runs: {
      concurrency: number;
      pg: CycleFigure;
      redis: CycleFigure;
      /** Redis with an fsync before each answer (appendfsync always), when redis-server is on the PATH */
      redisDurable?: CycleFigure;
      /** Redis cycles/s ÷ PostgreSQL cycles/s */
      throughputRatio: number;
      /** PostgreSQL p50 ÷ Redis p50 */
      latencyRatio: number;
      /** durable Redis cycles/s ÷ PostgreSQL cycles/s */
      durableThroughputRatio?: number;
    }[];
  }[];
  endToEnd: EndToEndFigure[];
}

const medianBy = (runs: CycleFigure[]): CycleFigure => {
  const sorted = [...runs].sort((a, b) => a.cyclesPerSecond - b.cyclesPerSecond);
  return sorted[Math.floor(sorted.length / 2)] as CycleFigure;
};

/**
 * `npm run bench -- --store-compare`: the short-lived models' and counters' operations on PostgreSQL
 * (through the app's own adapter, throttle and code repository, its pool of 10) against a minimal Redis
 * equivalent, then the share of a login's and a refresh's wall time those statements take on the real
 * server. The evidence behind README "Deployment", No Redis.
 */
export async function runStoreCompare(
  opts: StoreCompareOptions,
  say: (line: string) => void = () => undefined,
): Promise<StoreCompareResult> {
  const date = new Date().toISOString();
  const loadStart = loadavg()[0] ?? 0;
  if (opts.build) {
    say('building: npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  mkdirSync(join(ROOT, 'var'), { recursive: true });
  const runDir = mkdtempSync(join(ROOT, 'var', 'bench-store-'));
  const fresh = await freshDatabase({ engine: 'pg', pgUrl: opts.pgUrl, runDir });
  const redis = new Redis(opts.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // The app's pool (createDb's default of 10 connections), as one server process has it.
  const db = createDb(fresh.url);
  const store = createRedisStore(redis, {
    prefix: `hawiya-bench:${process.pid}:${randomBytes(4).toString('hex')}:`,
    idKey: oidcIdKeys([randomBytes(32).toString('base64')])[0] as Buffer,
  });
  let durable: DurableRedis | undefined;
  let durableClient: Redis | undefined;
  try {
    durable = await startDurableRedis(join(runDir, 'redis'));
    durableClient = durable ? new Redis(durable.url, { maxRetriesPerRequest: 1 }) : undefined;
    await redis.connect();
    const redisVersion = (await redis.info('server')).match(/redis_version:(\S+)/)?.[1] ?? '?';
    const pgVersion = String((await db.raw('show server_version')).rows[0]?.server_version ?? '?');
    const idKeys = oidcIdKeys([randomBytes(32).toString('base64')]);
    const cycles = storeCycles({ db, idKeys, redis: store });
    const durableCycles = durableClient
      ? storeCycles({
          db,
          idKeys,
          redis: createRedisStore(durableClient, {
            prefix: 'hawiya-bench:',
            idKey: oidcIdKeys([randomBytes(32).toString('base64')])[0] as Buffer,
          }),
        })
      : undefined;
    const result: StoreCompareResult['cycles'] = [];
    for (const [index, cycle] of cycles.entries()) {
      const durableCycle = durableCycles?.[index];
      const runs: StoreCompareResult['cycles'][number]['runs'] = [];
      for (const c of opts.concurrency) {
        say(`${cycle.name}: ${c} at once`);
        // A short warm-up of each: prepared statements, the Lua scripts' cache, the pool's connections.
        const warm = { concurrency: c, seconds: Math.min(0.3, opts.opSeconds) };
        for (const run of [cycle.pg, cycle.redis, ...(durableCycle ? [durableCycle.redis] : [])])
          await measureCycles(run, warm);
        const pg: CycleFigure[] = [];
        const rd: CycleFigure[] = [];
        const dr: CycleFigure[] = [];
        for (let r = 0; r < opts.rounds; r++) {
          pg.push(await measureCycles(cycle.pg, { concurrency: c, seconds: opts.opSeconds }));
          rd.push(await measureCycles(cycle.redis, { concurrency: c, seconds: opts.opSeconds }));
          if (durableCycle)
            dr.push(await measureCycles(durableCycle.redis, { concurrency: c, seconds: opts.opSeconds }));
        }
        const [p, q] = [medianBy(pg), medianBy(rd)];
        const d = dr.length > 0 ? medianBy(dr) : undefined;
        const per = (x: CycleFigure) => (p.cyclesPerSecond > 0 ? x.cyclesPerSecond / p.cyclesPerSecond : 0);
        runs.push({
          concurrency: c,
          pg: p,
          redis: q,
          throughputRatio: per(q),
          latencyRatio: q.p50Ms > 0 ? p.p50Ms / q.p50Ms : 0,
          ...(d ? { redisDurable: d, durableThroughputRatio: per(d) } : {}),
        });
      }
      result.push({ name: cycle.name, does: cycle.does, steps: cycle.steps, runs });
    }
    await db.destroy();
    await store.clear();

    // End to end, on a database of its own: the micro runs above leave rows behind.
    const e2eDir = join(runDir, 'e2e');
    const e2eDb = await freshDatabase({ engine: 'pg', pgUrl: opts.pgUrl, runDir: e2eDir });
    const tls = makeBenchCertificate(runDir);
    const messages = await startMessageStandIns(tls);
    let endToEnd: EndToEndFigure[];
    try {
      endToEnd = await endToEndShare({
        db: e2eDb,
        runDir: e2eDir,
        certFile: tls.certFile,
        messages,
        persons: opts.persons,
        seconds: opts.e2eSeconds,
        concurrency: opts.e2eConcurrency,
        say,
      });
    } finally {
      await messages.close();
      await e2eDb.drop();
    }
    return {
      schema: 'hawiya-store-compare/1',
      date,
      machine: machine(opts.cores),
      options: opts,
      loadAverage: { start: loadStart, end: loadavg()[0] ?? 0 },
      stores: {
        pg: `PostgreSQL ${pgVersion} on loopback, the app's code and pool (10 connections)`,
        redis: `Redis ${redisVersion} on loopback (as configured there), one ioredis connection (commands pipelined)`,
        ...(durable
          ? {
              redisDurable:
                "Redis of the bench's own on loopback with appendonly yes, appendfsync always (durable as the product requires)",
            }
          : {}),
      },
      cycles: result,
      endToEnd,
    };
  } finally {
    redis.disconnect();
    durableClient?.disconnect();
    await durable?.stop();
    await db.destroy().catch(() => undefined);
    await fresh.drop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

const f = (n: number, d = 0) => n.toFixed(d);

/** The comparison as two tables: per cycle and concurrency, then the end-to-end shares. */
export function formatStoreCompare(r: StoreCompareResult): string {
  const lines = [
    `store compare ${r.date}: ${r.machine.cpu} (${r.machine.cores} cores), ${r.options.opSeconds} s per figure, median of ${r.options.rounds}`,
    `  load average ${f(r.loadAverage.start, 1)} at the start, ${f(r.loadAverage.end, 1)} at the end`,
    `  pg: ${r.stores.pg}`,
    `  redis: ${r.stores.redis}`,
    ...(r.stores.redisDurable ? [`  durable redis: ${r.stores.redisDurable}`] : []),
    '',
    'cycle              steps  conc   pg cycles/s  redis cycles/s  ratio   pg p50 ms  redis p50 ms   pg cpu µs  redis cpu µs  durable redis/s  ratio',
  ];
  for (const c of r.cycles)
    for (const run of c.runs)
      lines.push(
        [
          c.name.padEnd(18),
          String(c.steps).padStart(5),
          String(run.concurrency).padStart(5),
          f(run.pg.cyclesPerSecond).padStart(13),
          f(run.redis.cyclesPerSecond).padStart(15),
          `${f(run.throughputRatio, 1)}×`.padStart(6),
          f(run.pg.p50Ms, 2).padStart(11),
          f(run.redis.p50Ms, 2).padStart(13),
          f(run.pg.cpuUsPerCycle).padStart(11),
          f(run.redis.cpuUsPerCycle).padStart(13),
          run.redisDurable ? f(run.redisDurable.cyclesPerSecond).padStart(16) : '               -',
          run.durableThroughputRatio ? `${f(run.durableThroughputRatio, 1)}×`.padStart(6) : '     -',
        ].join(' '),
      );
  lines.push(
    '',
    'end to end (the real server on PostgreSQL, one process): per login or refresh',
    'flow      conc  requests   wall ms   short-lived statements   their ms   share',
  );
  for (const e of r.endToEnd)
    lines.push(
      [
        e.flow.padEnd(8),
        String(e.concurrency).padStart(5),
        String(e.requests).padStart(9),
        f(e.meanMs, 1).padStart(9),
        f(e.shortLived.statements, 1).padStart(24),
        f(e.shortLived.ms, 1).padStart(10),
        `${f(e.shortLivedShare * 100, 1)}%`.padStart(7),
      ].join(' '),
    );
  return lines.join('\n');
}
