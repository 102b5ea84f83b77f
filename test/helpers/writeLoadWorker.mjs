// A second writer on the test database, in its own thread (better-sqlite3 is synchronous: in the test's own
// thread it would block the very transaction it competes with). It commits small read-then-write
// transactions, as a busy server does, until told to stop or until its time is up, and reports its count.
import { parentPort, workerData } from 'node:worker_threads';

const { engine, url, flag, maxMs } = workerData;
const stopAt = Date.now() + maxMs;
const stopped = () => Atomics.load(flag, 0) === 1 || Date.now() > stopAt;

async function sqlite() {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(url.slice('sqlite:'.length));
  db.pragma('busy_timeout = 5000');
  db.exec('create table if not exists write_load (id integer primary key autoincrement, n integer not null)');
  const read = db.prepare('select count(*) as c from write_load');
  const write = db.prepare('insert into write_load (n) values (?)');
  // A deferred transaction that reads first, like the server's own, but retried: the point is load.
  const step = db.transaction(() => write.run(read.get().c));
  let writes = 0;
  parentPort.postMessage({ ready: true });
  while (!stopped()) {
    try {
      step.immediate();
      writes++;
    } catch {
      // busy past the timeout: try again
    }
  }
  db.close();
  return writes;
}

async function postgres() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('create table if not exists write_load (id serial primary key, n integer not null)');
  let writes = 0;
  parentPort.postMessage({ ready: true });
  while (!stopped()) {
    await client.query('begin');
    const { rows } = await client.query('select count(*)::int as c from write_load');
    await client.query('insert into write_load (n) values ($1)', [rows[0].c]);
    await client.query('commit');
    writes++;
  }
  await client.end();
  return writes;
}

const writes = engine === 'sqlite' ? await sqlite() : await postgres();
parentPort.postMessage({ writes });
