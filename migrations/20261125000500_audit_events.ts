import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_events', (t) => {
    t.increments('id').primary();
    t.bigInteger('at').notNullable();
    t.string('event', 40).notNullable();
    t.string('account_id', 36).nullable();
    t.string('national_id_masked', 10).nullable();
    t.string('ip', 64).nullable();
    t.string('user_agent', 300).nullable();
    t.string('request_id', 64).nullable();
    t.string('client_id', 100).nullable();
    t.string('factor', 32).nullable();
    t.string('actor', 100).nullable();
    t.text('details').notNullable();
    t.index(['at']);
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_events');
}
