import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The civil-affairs services' own sign-in sessions (relying-party side; never read by the IdP).
  await knex.schema.createTable('service_sessions', (t) => {
    t.string('id', 43).primary(); // sha-256 of the cookie value: a copy of the table opens no session
    t.string('service', 64).notNullable(); // the service's client id
    t.string('sub', 255).notNullable();
    t.string('sid', 255).nullable(); // Hawiya's session (the ID token's sid), for back-channel logout
    t.text('data').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_seen_at').notNullable();
    t.bigInteger('expires_at').notNullable(); // the earlier of the idle and the absolute timeout
    t.index(['service', 'sid']);
    t.index(['service', 'sub']);
    t.index(['service', 'last_seen_at']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service_sessions');
}
