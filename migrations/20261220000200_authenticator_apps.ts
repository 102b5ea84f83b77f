import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // An account's authenticator app (TOTP): its secret (sealed with KEYS_ENCRYPTION_KEY when set) and the
  // last time step accepted, so that a code works once (checklist 9).
  await knex.schema.createTable('authenticator_apps', (t) => {
    t.string('account_id', 36).primary().references('accounts.id').onDelete('CASCADE');
    t.text('secret').notNullable();
    t.bigInteger('last_step').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('authenticator_apps');
}
