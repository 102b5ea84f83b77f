import { userInfo } from 'node:os';
import { type Config, loadConfig } from '../config.js';
import { type Core, createCore } from '../core/createCore.js';
import type { Db } from '../db/createDb.js';
import { migrationStatus } from '../db/migrate.js';
import type { KeyStore } from '../keys/index.js';
import type { Audit } from '../shared/audit.js';
import type { Clock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { CliRefused } from './cliErrors.js';
import type { Output } from './output.js';

/** What a command gets: the same configuration, database and domain as the server. */
export interface CliContext {
  config: Config;
  db: Db;
  clock: Clock;
  audit: Audit;
  keyStore: KeyStore;
  /** the domain, built by the same factory as the server's */
  core: Core;
  out: Output;
  /** who acts, for the audit trail: cli:<os user> */
  actor: string;
}

export function cliActor(env: NodeJS.ProcessEnv): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // containers may run as a uid with no passwd entry
    return `cli:${env.USER ?? env.LOGNAME ?? `uid-${process.getuid?.() ?? 'unknown'}`}`;
  }
}

/** Loads the configuration (ConfigError on bad env) and opens the database; `migrated` refuses a stale schema. */
export async function openCliContext(opts: {
  env: NodeJS.ProcessEnv;
  out: Output;
  migrated: boolean;
}): Promise<CliContext & { close(): Promise<void> }> {
  const config = loadConfig(opts.env);
  // The audit table is the record; log lines would mix with the command's output.
  const core = createCore(config, { logger: createLogger({ level: 'silent' }) });
  try {
    if (opts.migrated) {
      const { pending } = await migrationStatus(core.db);
      if (pending.length > 0) {
        throw new CliRefused(
          `the database has ${pending.length} pending migration(s): run "hawiya migrate" first`,
        );
      }
    }
  } catch (err) {
    await core.close();
    throw err;
  }
  return {
    config,
    db: core.db,
    clock: core.clock,
    audit: core.audit,
    keyStore: core.keyStore,
    core,
    out: opts.out,
    actor: cliActor(opts.env),
    close: () => core.close(),
  };
}
