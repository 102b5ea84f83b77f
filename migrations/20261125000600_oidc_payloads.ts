import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Everything oidc-provider persists: sessions, interactions, codes, tokens, grants, PAR, replay detection.
  await knex.schema.createTable('oidc_payloads', (t) => {
    t.string('type', 40).notNullable();
    t.string('id', 255).notNullable();
    t.text('payload').notNullable();
    t.string('grant_id', 255).nullable();
    t.string('user_code', 255).nullable();
    t.string('uid', 255).nullable();
    t.string('account_id', 255).nullable();
    t.bigInteger('expires_at').nullable();
    t.bigInteger('consumed_at').nullable();
    t.primary(['type', 'id']);
    t.index(['grant_id']);
    t.index(['uid']);
    t.index(['account_id']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('oidc_payloads');
}
