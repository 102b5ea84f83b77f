import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Days every office is closed (Asia/Riyadh calendar dates), besides the weekend.
  await knex.schema.createTable('public_holidays', (t) => {
    t.string('date', 10).primary(); // YYYY-MM-DD
    t.string('name_ar', 200).notNullable();
    t.string('name_en', 200).notNullable();
    t.bigInteger('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('public_holidays');
}
