import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // "My reports" lists the reports about the person's own documents too (review R7): by holder alone.
  await knex.schema.alterTable('loss_reports', (t) => {
    t.index(['holder_national_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('loss_reports', (t) => {
    t.dropIndex(['holder_national_id', 'created_at']);
  });
}
