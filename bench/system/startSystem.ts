import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SERVER_MALLOC_ENV, withServerFlags } from '../../src/shared/memorySettings.js';
import type { MessageStandIns } from './messageStandIns.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SERVER_ENTRY = join(ROOT, 'dist', 'src', 'main.js');

export interface RunningSystem {
  /** where the bench sends requests (plain http on loopback) */
  origin: string;
  /** the configured https issuer, as relying parties see it */
  issuer: string;
  /** COOKIE_KEYS as given to the server: the bench derives the stored-id key from them, like the server */
  cookieKeys: string[];
  loopbackUrl(publicUrl: string): string;
  /** the primary and, with WORKERS above 1, each worker */
  pids(): number[];
  /** every setting that differs from a real deployment, said in the output */
  relaxations: string[];
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const secret = () => randomBytes(32).toString('base64');

/**
 * The compiled server (`node dist/src/main.js`, as `npm run build` leaves it) with NODE_ENV=production and
 * every production check satisfied for real, except that the TLS-terminating proxy in front is the bench
 * itself: TRUST_PROXY=true and each request carries X-Forwarded-Proto: https.
 */
export async function startSystem(opts: {
  databaseUrl: string;
  workers: number;
  runDir: string;
  certFile: string;
  messages: MessageStandIns;
  /** runs with the server's environment before the server starts (seeding) */
  beforeStart?: (env: Record<string, string>) => Promise<void>;
  /** node flags and environment of the bench's own instruments (--store-compare's statement timer) */
  instruments?: { nodeArgs: string[]; env: Record<string, string> };
}): Promise<RunningSystem> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run npm run build`);
  const [port, lossPort, replacementPort] = [await freePort(), await freePort(), await freePort()];
  const issuer = `https://127.0.0.1:${port}`;
  const keysDir = join(opts.runDir, 'keys');
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const cookieKeys = [secret()];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    ISSUER: issuer,
    HOST: '127.0.0.1',
    PORT: String(port),
    TRUST_PROXY: 'true',
    DATABASE_URL: opts.databaseUrl,
    WORKERS: String(opts.workers),
    KEYS_DIR: keysDir,
    KEYS_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    COOKIE_KEYS: cookieKeys.join(','),
    PAIRWISE_SALT: secret(),
    SMTP_URL: opts.messages.smtpUrl,
    SMS_GATEWAY_URL: opts.messages.smsUrl,
    SMS_GATEWAY_TOKEN: opts.messages.smsToken,
    LOSS_REPORT_URL: `https://127.0.0.1:${lossPort}`,
    REPLACEMENT_URL: `https://127.0.0.1:${replacementPort}`,
    LOSS_REPORT_CLIENT_SECRET: secret(),
    REPLACEMENT_CLIENT_SECRET: secret(),
    // The stand-in gateway and mail server present the bench's own certificate.
    NODE_EXTRA_CA_CERTS: opts.certFile,
    ...opts.instruments?.env,
  };
  // Settings an operator may choose (argon2id cost, SQLite commit durability, LOG_SYNC) are benched as set for the bench.
  for (const name of [
    'ARGON2_MEMORY_KIB',
    'ARGON2_TIME_COST',
    'ARGON2_PARALLELISM',
    'SQLITE_SYNCHRONOUS',
    'LOG_SYNC',
    'SQLITE_READ_CACHE_MIB',
    'SQLITE_MMAP_MIB',
  ]) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  // The production start (README Performance, "Memory"): glibc's allocator settings, unless the bench is
  // given its own MALLOC_* to compare (MALLOC_ARENA_MAX=8 ...), and the Node flags below.
  Object.assign(env, SERVER_MALLOC_ENV);
  for (const [name, value] of Object.entries(process.env))
    if (name.startsWith('MALLOC_') && value) env[name] = value;
  const relaxations = [
    'no TLS on loopback: the bench is the TLS-terminating proxy (TRUST_PROXY=true, X-Forwarded-Proto: https; X-Forwarded-For: one address per simulated person)',
    'SMS gateway and SMTP are local stand-ins over TLS with a certificate made for this run (NODE_EXTRA_CA_CERTS)',
    'logs (LOG_LEVEL info, the default) go to a file in the run folder',
  ];
  await opts.beforeStart?.(env);
  const log = createWriteStream(join(opts.runDir, 'server.log'));
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of each server process there when it stops (to find what bounds a figure).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  // BENCH_NODE_ARGS adds Node flags to the server (to find what its memory is: --heapsnapshot-signal=SIGUSR2).
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...withServerFlags([...profile, ...nodeArgs, ...(opts.instruments?.nodeArgs ?? [])]), SERVER_ENTRY],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const origin = `http://127.0.0.1:${port}`;
  await waitReady(`${origin}/readyz`, child, 120_000);
  if (opts.workers > 1) await waitForWorkers(child.pid ?? 0, opts.workers);
  return {
    origin,
    issuer,
    cookieKeys,
    loopbackUrl: (u) => (u.startsWith(issuer) ? origin + u.slice(issuer.length) : u),
    pids: () => [child.pid ?? 0, ...childrenOf(child.pid ?? 0)],
    relaxations,
    env,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function waitForWorkers(pid: number, n: number): Promise<void> {
  const until = Date.now() + 60_000;
  while (childrenOf(pid).length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  // Each worker listens shortly after it is forked; give the last one a moment.
  await new Promise((r) => setTimeout(r, 1500));
}

async function waitReady(url: string, child: ChildProcess, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): see server.log`);
    const ok = await fetch(url, { headers: { 'x-forwarded-proto': 'https' } })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready within ${ms} ms`);
}
