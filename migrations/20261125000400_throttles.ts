import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Counters shared by every worker and node (per IP, per national ID, per action).
  await knex.schema.createTable('throttles', (t) => {
    t.string('key', 200).primary();
    t.integer('count').notNullable();
    t.bigInteger('window_started_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('throttles');
}
