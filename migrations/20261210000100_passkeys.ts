import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Passkeys (WebAuthn credentials) of an account: public key and counter, never a secret.
  await knex.schema.createTable('passkeys', (t) => {
    t.string('id', 1400).primary(); // credential id, base64url (unique across accounts: checklist 40)
    t.string('account_id', 36).notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('public_key').notNullable(); // COSE public key, base64url
    t.bigInteger('counter').notNullable().defaultTo(0);
    t.text('transports').notNullable(); // JSON array
    t.string('aaguid', 36).notNullable();
    t.boolean('backup_eligible').notNullable(); // BE flag: a synced (multi-device) passkey
    t.boolean('backed_up').notNullable(); // BS flag at the last use
    t.string('attestation', 16).notNullable(); // attestation format verified at enrolment ('none' by default)
    t.string('name', 64).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').nullable();
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('passkeys');
}
