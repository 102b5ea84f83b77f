import { userInfo } from 'node:os';
import { type Config, loadConfig } from '../config.js';
import { createDb, type Db } from '../db/createDb.js';
import { migrationStatus } from '../db/migrate.js';
import { createKeyStore, type KeyStore } from '../keys/index.js';
import { createIssuedArtifactsRepo } from '../oidc/issuedArtifactsRepo.js';
import { type Audit, createAudit } from '../shared/audit.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { CliRefused } from './cliErrors.js';
import type { Output } from './output.js';

/** What a command gets: the same configuration and database as the server. */
export interface CliContext {
  config: Config;
  db: Db;
  clock: Clock;
  audit: Audit;
  keyStore: KeyStore;
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
  const db = createDb(config.databaseUrl);
  const clock = systemClock;
  try {
    if (opts.migrated) {
      const { pending } = await migrationStatus(db);
      if (pending.length > 0) {
        throw new CliRefused(
          `the database has ${pending.length} pending migration(s): run "hawiya migrate" first`,
        );
      }
    }
  } catch (err) {
    await db.destroy();
    throw err;
  }
  // The audit table is the record; log lines would mix with the command's output.
  const audit = createAudit({ db, logger: createLogger({ level: 'silent' }), clock });
  const keyStore = createKeyStore({
    db,
    dir: config.keysDir,
    encryptionKey: config.keysEncryptionKey,
    clock,
    audit,
    minPublishMs: config.keysMinPublishSeconds * 1000,
    revokeIssuedSince: (since, trx) => createIssuedArtifactsRepo(trx).revokeIssuedSince(since, trx),
  });
  return {
    config,
    db,
    clock,
    audit,
    keyStore,
    out: opts.out,
    actor: cliActor(opts.env),
    close: () => db.destroy(),
  };
}
