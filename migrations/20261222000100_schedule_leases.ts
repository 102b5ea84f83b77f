import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A lease per scheduled job that several nodes run (automatic key rotation): the node whose conditional
  // update takes the row does the job; the others skip it until the lease is released or runs out.
  await knex.schema.createTable('schedule_leases', (t) => {
    t.string('name', 64).primary();
    t.string('holder', 255).nullable();
    t.bigInteger('lease_until').notNullable().defaultTo(0); // epoch milliseconds
  });
  await knex('schedule_leases').insert({ name: 'key_schedule', holder: null, lease_until: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('schedule_leases');
}
