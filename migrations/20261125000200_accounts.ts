import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.string('id', 36).primary();
    t.string('national_id', 10).notNullable().unique().references('registry_persons.national_id');
    t.string('username', 64).notNullable().unique(); // stored lower-case
    t.text('password_hash').notNullable();
    t.string('email', 254).nullable(); // typed by the person; used only after they choose it
    t.string('status', 16).notNullable(); // pending | active | disabled
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.bigInteger('locked_until').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('activated_at').nullable();
    t.bigInteger('password_changed_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('accounts');
}
