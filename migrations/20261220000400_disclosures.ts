import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // What each relying party received, as it left: one row per ID token, userinfo answer or access token
  // issued. Claim names and scopes only, never the values (the security page's "what each service received").
  await knex.schema.createTable('disclosures', (t) => {
    t.increments('id').primary();
    t.string('account_id', 36).notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('client_id', 255).notNullable();
    t.string('grant_id', 255).nullable();
    t.bigInteger('at').notNullable();
    t.string('channel', 16).notNullable(); // id_token | userinfo | access_token
    t.string('acr', 64).nullable();
    t.text('scopes').notNullable(); // space-separated
    t.text('claims').notNullable(); // JSON array of claim names
    t.string('resource', 255).nullable(); // the API an access token is for (RFC 8707), if any
    t.index(['account_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('disclosures');
}
