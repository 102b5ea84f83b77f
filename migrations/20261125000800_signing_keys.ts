import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Key state lives here; the private key itself is a file in keys/ (0600).
  await knex.schema.createTable('signing_keys', (t) => {
    t.string('kid', 64).primary();
    t.string('alg', 10).notNullable();
    t.string('state', 10).notNullable(); // next | current | previous | retired
    t.bigInteger('created_at').notNullable();
    t.bigInteger('activated_at').nullable();
    t.bigInteger('retire_after').nullable();
    t.bigInteger('retired_at').nullable();
    t.index(['state']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('signing_keys');
}
