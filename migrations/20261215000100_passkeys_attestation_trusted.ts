import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Whether the passkey's attestation chain led to a configured trusted root at enrolment (checklist 42).
  // Existing rows were never checked against roots: false, so none of them keeps the high level by it.
  await knex.schema.alterTable('passkeys', (t) => {
    t.boolean('attestation_trusted').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('passkeys', (t) => {
    t.dropColumn('attestation_trusted');
  });
}
