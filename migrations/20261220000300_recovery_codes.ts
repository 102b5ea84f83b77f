import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Recovery codes saved by the person: only a hash of each, single use (checklist 23).
  await knex.schema.createTable('recovery_codes', (t) => {
    t.increments('id').primary();
    t.string('account_id', 36).notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('code_hash', 64).notNullable(); // sha-256 hex of the normalised code (80 random bits)
    t.bigInteger('created_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.unique(['account_id', 'code_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('recovery_codes');
}
