import { Worker } from 'node:worker_threads';
import type { DbEngine } from '../../src/db/createDb.js';

export interface WriteLoad {
  /** stops the writer and resolves with how many transactions it committed */
  stop(): Promise<number>;
}

/**
 * Starts a second writer on the database at `url` (its own connection and thread, table `write_load`),
 * committing as fast as it can. It stops by itself after `maxMs` whatever happens to the test.
 */
export async function startWriteLoad(engine: DbEngine, url: string, maxMs = 30_000): Promise<WriteLoad> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./writeLoadWorker.mjs', import.meta.url), {
    workerData: { engine, url, flag, maxMs },
  });
  const done = new Promise<number>((resolve, reject) => {
    worker.on('message', (m: { writes?: number }) => {
      if (typeof m.writes === 'number') resolve(m.writes);
    });
    worker.once('error', reject);
    worker.once('exit', () => resolve(-1));
  });
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { ready?: boolean }) => {
      if (m.ready) resolve();
    });
    worker.once('error', reject);
  });
  return {
    async stop() {
      Atomics.store(flag, 0, 1);
      const writes = await done;
      await worker.terminate();
      return writes;
    },
  };
}
