import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The loss-report service's per-person count of registry checks in the current window (review R1): in
  // the database, so that every process of the service shares it.
  await knex.schema.createTable('loss_report_check_counts', (t) => {
    t.string('reporter_sub', 255).notNullable(); // the signed-in person (Hawiya's sub)
    t.bigInteger('window_start').notNullable(); // epoch milliseconds, a multiple of the window
    t.integer('count').notNullable();
    t.primary(['reporter_sub', 'window_start']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('loss_report_check_counts');
}
