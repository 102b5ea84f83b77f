import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The civil-affairs services' pending sign-ins (PKCE verifier, state, nonce) between /login and /callback.
  await knex.schema.createTable('service_logins', (t) => {
    t.string('id', 43).primary(); // sha-256 of the cookie value
    t.string('service', 64).notNullable();
    t.text('data').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['service', 'created_at']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service_logins');
}
