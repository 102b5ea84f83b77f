// What a serving process's memory is, and the settings that bound it (README Performance, "Memory").
// Measured under the bench's load (SQLite, 1 worker): with Node's defaults the JS heap held about 30 MiB
// of live objects but grew to 110 MiB of not-yet-collected garbage (a young generation of 2 x 16 MiB and an
// old generation allowed to double before a full collection), and glibc kept every argon2id run's 19 MiB
// in the arena of the thread that ran it (4 libuv threads: 76 MiB) plus V8's compiler scratch memory.
import v8 from 'node:v8';

/**
 * Node flags that only take effect when a process starts: a young generation of 2 x 4 MiB instead of
 * 2 x 16 (more, shorter scavenges: the bench saw about 4 times as many collections, and their share of the
 * server's CPU went from 13% to 19%). The cluster primary gives them to its workers; a single process gets them from its start command.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * glibc malloc settings, read when a process starts. One arena for every thread, so memory a finished
 * argon2id run or compiler job freed is reused by the next one on any thread instead of staying in the
 * arena of the thread that freed it; the thresholds pinned at the values glibc's own dynamic ones end at,
 * so argon2id's blocks are neither mapped afresh for each run nor given back (each costs page faults:
 * argon2id took three times the CPU when its memory went back to the system after every run).
 */
export const SERVER_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024),
  MALLOC_TRIM_THRESHOLD_: String(64 * 1024 * 1024),
};

/** The old generation grows by a fifth over what survived the last full collection (V8 lets it double). */
const HEAP_GROWING_PERCENT = 20;

/** Settings V8 reads at each collection, so a running process can take them: called first by a server. */
export function boundHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** `execArgv` with the server flags added, unless the operator set the same flag (there or in NODE_OPTIONS). */
export function withServerFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)];
  const missing = SERVER_NODE_FLAGS.filter((flag) => {
    const name = flag.split('=')[0] as string;
    return !given.some((arg) => arg === name || arg.startsWith(`${name}=`));
  });
  return [...execArgv, ...missing];
}

/** The malloc settings an operator did not set already in `env`. */
export function mallocEnvFor(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(SERVER_MALLOC_ENV).filter(([name]) => env[name] === undefined));
}
