import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_clients', (t) => {
    t.string('client_id', 100).primary();
    t.text('metadata').notNullable(); // oidc-provider client metadata, JSON
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_clients');
}
