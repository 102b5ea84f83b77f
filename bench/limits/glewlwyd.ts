// A limit, not the system: Glewlwyd (a C identity server, Debian's `glewlwyd` package) serving its OIDC
// plugin's discovery document and JWKS from a fresh SQLite database of its own, over plain http on loopback.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../system/startSystem.js';

export const GLEWLWYD_BINARY = '/usr/bin/glewlwyd';
/** the schema the package itself installs a SQLite database with (dbconfig-common) */
const SCHEMA = '/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3';
/** the plugin instance's name: its routes are /api/<name>/… */
const PLUGIN = 'oidc';

export interface RunningGlewlwyd {
  origin: string;
  pid: number;
  version: string;
  discoveryUrl: string;
  jwksUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts Glewlwyd with a configuration, database and ES256 key made for this run in `dir`, and waits until its
 * discovery document answers. Undefined when the package is not installed: the limit is then absent.
 */
export async function startGlewlwyd(
  dir: string,
  binary = GLEWLWYD_BINARY,
): Promise<RunningGlewlwyd | undefined> {
  if (!existsSync(binary)) return undefined;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const issuer = `${origin}/api/${PLUGIN}`;
  const dbFile = join(dir, 'glewlwyd.db');
  initDatabase(dbFile, issuer);
  const confFile = join(dir, 'glewlwyd.conf');
  writeFileSync(confFile, configuration(port, origin, dbFile));

  const logFile = join(dir, 'glewlwyd.log');
  const log = openSync(logFile, 'w');
  const child: ChildProcess = spawn(binary, [`--config-file=${confFile}`], {
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((r) => {
    child.once('exit', () => r());
    child.once('error', () => r()); // could not be run after all
  });
  const discoveryUrl = `${issuer}/.well-known/openid-configuration`;
  try {
    await answering(discoveryUrl, exited);
  } catch (err) {
    child.kill('SIGKILL');
    const tail = readFileSync(logFile, 'utf8').slice(-2000);
    throw new Error(`Glewlwyd did not start (${(err as Error).message}); its log:\n${tail}`);
  }
  return {
    origin,
    pid: child.pid ?? 0,
    version: execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim(),
    discoveryUrl,
    jwksUrl: `${issuer}/jwks`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // should it not end on SIGTERM (a connection thread still busy, say), the bench must not hang on it
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The package's schema, and the OIDC plugin instance (configured in the database, not the .conf). */
function initDatabase(file: string, issuer: string): void {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = { ...privateKey.export({ format: 'jwk' }), kid: 'glewlwyd-es256', alg: 'ES256', use: 'sig' };
  const parameters = {
    iss: issuer,
    'jwks-private': JSON.stringify({ keys: [key] }),
    'default-kid': key.kid,
    'jwks-show': true,
  };
  const db = new Database(file);
  try {
    db.exec(readFileSync(SCHEMA, 'utf8'));
    db.prepare(
      `INSERT INTO g_plugin_module_instance (gpmi_module, gpmi_name, gpmi_display_name, gpmi_parameters, gpmi_enabled)
       VALUES ('oidc', ?, 'OpenID Connect', ?, 1)`,
    ).run(PLUGIN, JSON.stringify(parameters));
  } finally {
    db.close();
  }
}

/** The settings Glewlwyd requires (libconfig syntax), logging to the console (the run's log file). */
function configuration(port: number, origin: string, dbFile: string): string {
  return `port=${port}
bind_address="127.0.0.1"
external_url="${origin}"
api_prefix="api"
log_mode="console"
log_level="WARNING"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
database = { type = "sqlite3"; path = "${dbFile}"; };
`;
}

async function answering(url: string, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error('it exited');
    const res = await fetch(url).catch(() => undefined);
    await res?.body?.cancel();
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no answer within 15 s');
}
