import type { Knex } from 'knex';

// Kept in step with CLIENT_CHANGES_CHANNEL (src/oidc/clientsFreshness.ts).
const CHANNEL = 'hawiya_clients';

export async function up(knex: Knex): Promise<void> {
  // PostgreSQL: every change to the clients table (CLI, restore, any SQL) tells each node at its commit, so
  // a node's in-memory copy of client metadata is dropped at once. SQLite nodes read PRAGMA data_version.
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(`create or replace function hawiya_clients_changed() returns trigger language plpgsql as $$
    begin perform pg_notify('${CHANNEL}', ''); return null; end $$`);
  await knex.raw(`create trigger oidc_clients_changed after insert or update or delete or truncate
    on oidc_clients for each statement execute function hawiya_clients_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('drop trigger if exists oidc_clients_changed on oidc_clients');
  await knex.raw('drop function if exists hawiya_clients_changed()');
}
