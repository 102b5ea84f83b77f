import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('registry_persons', (t) => {
    t.string('national_id', 10).primary();
    t.string('id_type', 16).notNullable(); // citizen | resident
    t.string('given_name_ar', 100).notNullable();
    t.string('family_name_ar', 100).notNullable();
    t.string('given_name_en', 100).notNullable();
    t.string('family_name_en', 100).notNullable();
    t.string('birth_date', 10).notNullable(); // YYYY-MM-DD
    t.string('sex', 1).notNullable(); // M | F
    t.string('status', 16).notNullable(); // living | deceased
    t.string('mobile', 20).notNullable();
    t.string('email', 254).nullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('registry_persons');
}
