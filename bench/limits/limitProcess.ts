import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface LimitProcess {
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

/** Runs one of the limit servers beside this file in its own process and waits for its address. */
export async function startLimitProcess(
  file: string,
  env: Record<string, string> = {},
): Promise<LimitProcess> {
  // BENCH_CPU_PROF=DIR profiles the limit servers too (DIR/limits), to set the system's profile beside theirs.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROF, 'limits')}`]
    : [];
  const args = [...profile, '--import', 'tsx', join(import.meta.dirname, file)];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const origin = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = out.match(/listening (\S+)/);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited (${code})`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    origin,
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
