import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

// migrations/ sits beside src/: at the project root, or in dist/ once built.
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const source: Knex.MigrationSource<string> = {
  async getMigrations() {
    return readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{14}_[a-z0-9_]+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
  },
  getMigrationName(file) {
    return file.replace(/\.(ts|js)$/, '');
  },
  async getMigration(file) {
    return (await import(pathToFileURL(join(MIGRATIONS_DIR, file)).href)) as MigrationModule;
  },
};

/** Applies every pending migration; returns the names applied. Safe to run from several nodes at once. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
  return applied;
}

/** The migrations this code knows, oldest first (a backup taken after a newer one cannot be restored here). */
export async function knownMigrations(): Promise<string[]> {
  return (await source.getMigrations([])).map((f) => source.getMigrationName(f));
}

export async function migrationStatus(db: Knex): Promise<{ done: string[]; pending: string[] }> {
  const [done, pending] = (await db.migrate.list({ migrationSource: source })) as [
    { name: string }[],
    string[],
  ];
  return { done: done.map((d) => d.name), pending: pending.map((p) => String(p).replace(/\.(ts|js)$/, '')) };
}
