// Loaded into the server under test by `--import` (bench --store-compare only; never in the product): times
// every PostgreSQL statement the process sends, from the query call to its answer, summed by the table it
// names. SIGUSR2 writes the sums to BENCH_STATEMENT_TIMES (then renamed into place) and starts again at
// zero, so the bench reads what one stretch of load spent in which statements.
import { renameSync, writeFileSync } from 'node:fs';
import pg from 'pg';

const SHORT_LIVED = ['oidc_payloads', 'throttles', 'otp_codes', 'flows'];
let sums = new Map();
let seq = 0;

function categoryOf(text) {
  const t = String(text).trimStart().toLowerCase();
  if (/^(begin|commit|rollback|savepoint|release)/.test(t)) return 'transaction control';
  const m = t.match(/(?:from|into|update|join)\s+"?([a-z_]+)"?/);
  const table = m?.[1] ?? 'other';
  return SHORT_LIVED.includes(table) ? table : `other: ${table}`;
}

function add(text, t0) {
  const category = categoryOf(text);
  const s = sums.get(category) ?? { statements: 0, ms: 0 };
  s.statements += 1;
  s.ms += performance.now() - t0;
  sums.set(category, s);
}

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function timedQuery(config, values, callback) {
  const text = typeof config === 'string' ? config : (config?.text ?? '');
  const t0 = performance.now();
  // knex passes a callback; the app's prepared statements await the promise.
  if (typeof values === 'function' || typeof callback === 'function') {
    const cbAt = typeof values === 'function' ? 1 : 2;
    const args = [config, values, callback];
    const cb = args[cbAt];
    args[cbAt] = function timedCallback(...rest) {
      add(text, t0);
      return cb.apply(this, rest);
    };
    return query.apply(this, args.slice(0, cbAt + 1));
  }
  const result = query.call(this, config, values);
  if (result && typeof result.then === 'function')
    result.then(
      () => add(text, t0),
      () => add(text, t0),
    );
  return result;
};

process.on('SIGUSR2', () => {
  const file = process.env.BENCH_STATEMENT_TIMES;
  if (!file) return;
  seq += 1;
  writeFileSync(`${file}.tmp`, JSON.stringify({ seq, sums: Object.fromEntries(sums) }));
  renameSync(`${file}.tmp`, file);
  sums = new Map();
});
