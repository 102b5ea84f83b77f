import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // When the "add a passkey" offer was shown after a password + SMS login: it is shown once per account.
  await knex.schema.alterTable('accounts', (t) => {
    t.bigInteger('passkey_offered_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('passkey_offered_at');
  });
}
