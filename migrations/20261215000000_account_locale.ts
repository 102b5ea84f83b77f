import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The language the person last signed in with ('ar' or 'en'): the `locale` claim, so services follow it.
  await knex.schema.alterTable('accounts', (t) => {
    t.string('locale', 5).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('locale');
  });
}
