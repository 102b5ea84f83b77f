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
  /** the same request every time, or one built per request (pools) */
  fixed?: FixedRequest;
  next?: () => FixedRequest;
  /** next() repeats itself after this many requests: wrk is handed that many, in order */
  cycle?: number;
  expectStatus: number;
  /** requests per second over all connections, paced (autocannon); unset: as fast as the server answers */
  rate?: number;
}

let wrkPresent: boolean | undefined;
async function hasWrk(): Promise<boolean> {
  wrkPresent ??= await new Promise<boolean>((r) =>
    execFile('wrk', ['--version'], (err) => r(!err || (err as { code?: unknown }).code === 1)),
  );
  return wrkPresent;
}

/**
 * wrk when it is installed and the requests are known in advance (a fixed one, or a pool's cycle): written in
 * C, it takes a fraction of autocannon's CPU, which on a 2-core machine is CPU the server does not get.
 */
export async function runLoad(spec: LoadSpec, opts: { wrk: boolean; tmpDir: string }): Promise<LoadFigure> {
  // wrk cannot pace its requests (wrk2 could, and is not in Debian): a paced run goes through autocannon
  if (opts.wrk && spec.rate === undefined && (await hasWrk())) {
    if (spec.fixed) return runWrk(spec, [spec.fixed], opts.tmpDir);
    const { next, cycle } = spec;
    if (next && cycle && cycle > 0)
      return runWrk(
        spec,
        Array.from({ length: cycle }, () => next()),
        opts.tmpDir,
      );
  }
  return runAutocannon(spec);
}

async function runAutocannon(spec: LoadSpec): Promise<LoadFigure> {
  const request = spec.fixed ?? spec.next?.();
  if (!request) throw new Error('a load spec needs a fixed request or a request builder');
  const result = await autocannon({
    url: spec.origin,
    connections: spec.connections,
    duration: spec.duration,
    ...(spec.rate !== undefined ? { overallRate: spec.rate } : {}),
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

/** One request as it goes on the wire (HTTP/1.1, keep-alive). */
function rawRequest(req: FixedRequest, host: string): string {
  const headers = Object.entries({
    host,
    ...req.headers,
    ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
  })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return `${req.method} ${req.path} HTTP/1.1\r\n${headers}\r\n${req.body ?? ''}`;
}

// The requests are read from a file at start (a Lua table of many thousand constants exceeds LuaJIT's
// limit), each as its byte length on a line of its own followed by its bytes, and sent in turn.
const WRK_SCRIPT = `local reqs = {}
local i = 0
function init(args)
  local f = assert(io.open(args[1], "rb"))
  local data = f:read("*a")
  f:close()
  local pos = 1
  while pos <= #data do
    local nl = data:find("\\n", pos, true)
    local len = tonumber(data:sub(pos, nl - 1))
    reqs[#reqs + 1] = data:sub(nl + 1, nl + len)
    pos = nl + len + 1
  end
end
function request()
  i = i % #reqs + 1
  return reqs[i]
end
`;

/** wrk -t1 -cN sending the requests in turn; wrk itself counts the answers that are not 2xx or 3xx. */
async function runWrk(spec: LoadSpec, reqs: readonly FixedRequest[], tmpDir: string): Promise<LoadFigure> {
  const script = join(tmpDir, 'wrk-requests.lua');
  const data = join(tmpDir, 'wrk-requests.txt');
  const host = new URL(spec.origin).host;
  writeFileSync(script, WRK_SCRIPT);
  writeFileSync(
    data,
    reqs
      .map((r) => {
        const raw = rawRequest(r, host);
        return `${Buffer.byteLength(raw)}\n${raw}`;
      })
      .join(''),
  );
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      'wrk',
      [
        '-t1',
        `-c${spec.connections}`,
        `-d${spec.duration}s`,
        '--latency',
        '-s',
        script,
        spec.origin,
        '--',
        data,
      ],
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
