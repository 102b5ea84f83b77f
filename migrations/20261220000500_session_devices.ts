import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The device behind each Hawiya session (oidc-provider keeps none): for the security page's list of
  // signed-in devices. Rows of ended sessions are ignored and purged with them.
  await knex.schema.createTable('session_devices', (t) => {
    t.string('session_uid', 255).primary();
    t.string('account_id', 36).notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('ip', 64).nullable();
    t.string('user_agent', 300).nullable();
    t.bigInteger('last_seen_at').notNullable();
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('session_devices');
}
