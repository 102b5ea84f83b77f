import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';

/** What one load run measured. */
export interface LoadFigure {
  /** successful requests (or logins) per second */
  rate: number;
  /** answers (or logins) in the run, whatever their status: what the server's CPU time is divided by */
  count?: number;
  p50Ms: number;
  p99Ms: number;
  /** answers that were not the expected status, and connection errors */
  errors: number;
  /** answers by HTTP status (autocannon only) */
  statuses?: Record<string, number>;
  tool: 'autocannon' | 'wrk' | 'bench login driver' | 'worker_threads';
}

export interface FixedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  origin: string;
  connections: number;
  duration: number;
  /** the same request every time (wrk can send it), or one built per request (pools) */
  fixed?: FixedRequest;
  next?: () => FixedRequest;
  expectStatus: number;
}

let wrkPresent: boolean | undefined;
async function hasWrk(): Promise<boolean> {
  wrkPresent ??= await new Promise<boolean>((r) =>
    execFile('wrk', ['--version'], (err) => r(!err || (err as { code?: unknown }).code === 1)),
  );
  return wrkPresent;
}

export async function runLoad(spec: LoadSpec, opts: { wrk: boolean; tmpDir: string }): Promise<LoadFigure> {
  if (spec.fixed && opts.wrk && (await hasWrk())) return runWrk(spec, spec.fixed, opts.tmpDir);
  return runAutocannon(spec);
}

async function runAutocannon(spec: LoadSpec): Promise<LoadFigure> {
  const request = spec.fixed ?? spec.next?.();
  if (!request) throw new Error('a load spec needs a fixed request or a request builder');
  const result = await autocannon({
    url: spec.origin,
    connections: spec.connections,
    duration: spec.duration,
    requests: [
      spec.next
        ? { setupRequest: () => spec.next?.() ?? request }
        : { method: request.method, path: request.path, headers: request.headers, body: request.body },
    ],
    expectBody: undefined,
  });
  const wrong = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => Number(status) !== spec.expectStatus)
    .reduce((n, [, s]) => n + (s as { count: number }).count, 0);
  const good = Math.max(0, result.requests.total - wrong);
  return {
    rate: good / spec.duration,
    count: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: wrong + result.errors + result.timeouts,
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count]),
    ),
    tool: 'autocannon',
  };
}

/** wrk -t1 -cN with the request in a Lua script; wrk itself counts the answers that are not 2xx or 3xx. */
async function runWrk(spec: LoadSpec, req: FixedRequest, tmpDir: string): Promise<LoadFigure> {
  const script = join(tmpDir, 'wrk-request.lua');
  const headers = Object.entries(req.headers)
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join('\n');
  writeFileSync(
    script,
    `wrk.method = "${req.method}"\nwrk.path = ${JSON.stringify(req.path)}\n${headers}\n${
      req.body ? `wrk.body = ${JSON.stringify(req.body)}\n` : ''
    }`,
  );
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      'wrk',
      ['-t1', `-c${spec.connections}`, `-d${spec.duration}s`, '--latency', '-s', script, spec.origin],
      { maxBuffer: 1 << 20 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    ),
  );
  const total = Number(out.match(/(\d+) requests in/)?.[1] ?? 0);
  const bad = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socketErrors = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const ms = (p: string) => {
    const m = out.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm'));
    if (!m?.[1]) return 0;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  return {
    rate: (total - bad) / spec.duration,
    count: total,
    p50Ms: ms('50'),
    p99Ms: ms('99'),
    errors: bad + (socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0),
    tool: 'wrk',
  };
}
