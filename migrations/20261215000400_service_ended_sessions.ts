import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Sessions Hawiya told a service had ended (back-channel logout, review R8): its API refuses the access
  // tokens issued in them until they expire. Kept an hour, longer than any API token lives.
  await knex.schema.createTable('service_ended_sessions', (t) => {
    t.increments('id').primary();
    t.string('service', 64).notNullable();
    t.string('sid', 255).nullable(); // the session ended (logout token sid)
    t.string('sub', 255).nullable(); // or, without sid, every session of this subject
    t.bigInteger('ended_at').notNullable(); // epoch milliseconds
    t.index(['service', 'sid']);
    t.index(['service', 'sub']);
    t.index(['ended_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service_ended_sessions');
}
