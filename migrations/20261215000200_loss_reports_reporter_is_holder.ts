import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Whether the reporter was the document's holder (review R7): the register tells banks who reported.
  // Null for reports made before: not known.
  await knex.schema.alterTable('loss_reports', (t) => {
    t.boolean('reporter_is_holder').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('loss_reports', (t) => {
    t.dropColumn('reporter_is_holder');
  });
}
