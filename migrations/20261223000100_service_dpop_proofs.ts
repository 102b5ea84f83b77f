import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // DPoP proofs the services' APIs have accepted (RFC 9449 §11.1): a proof is used once across every
  // process and node on this database. Kept until the proof is too old to be accepted anyway.
  await knex.schema.createTable('service_dpop_proofs', (t) => {
    t.string('jti_hash', 64).primary(); // sha256 of the API and the proof's jti, hex
    t.bigInteger('expires_at').notNullable(); // epoch milliseconds
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('service_dpop_proofs');
}
