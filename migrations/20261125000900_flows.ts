import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Server-side state of multi-step journeys (registration, password reset, login transaction).
  await knex.schema.createTable('flows', (t) => {
    t.string('id', 64).primary(); // sha-256 of the cookie value, or the interaction uid
    t.string('kind', 16).notNullable();
    t.text('data').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('flows');
}
