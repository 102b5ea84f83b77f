import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Civil-affairs offices where replacement appointments are held (the replacement service's; the staff's
  // CLI adds and changes them). Times are minutes after midnight in Asia/Riyadh.
  await knex.schema.createTable('offices', (t) => {
    t.string('id', 32).primary(); // a short slug: riyadh-olaya
    t.string('name_ar', 200).notNullable();
    t.string('name_en', 200).notNullable();
    t.string('city_ar', 100).notNullable();
    t.string('city_en', 100).notNullable();
    t.integer('opens_at').notNullable(); // 480 = 08:00
    t.integer('closes_at').notNullable(); // the last slot ends by then
    t.integer('slot_minutes').notNullable();
    t.integer('capacity').notNullable(); // people per slot
    t.string('working_days', 20).notNullable(); // ISO weekdays, comma-separated: 7,1,2,3,4 = Sunday-Thursday
    t.boolean('active').notNullable().defaultTo(true);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('offices');
}
