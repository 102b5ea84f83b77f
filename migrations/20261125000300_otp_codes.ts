import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('otp_codes', (t) => {
    t.string('id', 43).primary();
    t.string('purpose', 16).notNullable(); // activation | login | reset
    t.string('binding', 64).notNullable(); // the transaction (registration flow or login interaction)
    t.string('subject', 36).notNullable(); // account id
    t.string('channel', 8).notNullable(); // sms | email
    t.string('code_hash', 64).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('consumed_at').nullable();
    t.index(['binding', 'purpose']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('otp_codes');
}
