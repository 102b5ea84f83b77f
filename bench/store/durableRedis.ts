import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort } from '../system/startSystem.js';

/** A Redis server of the bench's own, or undefined when `redis-server` is not on the PATH. */
export interface DurableRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Redis as Hawiya would have to run it: an answered write must survive a power cut (as PostgreSQL's commit
 * and SQLite's synchronous=FULL do), or a consumed code or refresh token could be used again and a throttle
 * start over after a crash. That is the append-only file with an fsync before each answer
 * (`appendfsync always`). A server of its own (in the run's folder, on a free port) so that the shared
 * one's settings are never touched.
 */
export async function startDurableRedis(dir: string): Promise<DurableRedis | undefined> {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `redis://127.0.0.1:${port}`;
  const until = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // not up yet: tried again below
    const ok = await probe
      .connect()
      .then(() => probe.config('SET', 'appendfsync', 'always'))
      .then(() => true)
      .catch(() => false);
    probe.disconnect();
    if (ok) break;
    if (Date.now() > until || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('redis-server did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
