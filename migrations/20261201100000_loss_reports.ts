import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The loss-report service's register of lost documents (relying-party side; never read by the IdP).
  await knex.schema.createTable('loss_reports', (t) => {
    t.string('reference', 12).primary(); // LR + 10 digits, the last a check digit
    t.string('reporter_sub', 255).notNullable(); // the reporting person (Hawiya's sub)
    t.string('client_id', 64).notNullable(); // the client whose token recorded it
    t.string('document_type', 32).notNullable();
    t.string('holder_national_id', 10).notNullable();
    t.string('holder_name', 400).notNullable();
    t.string('status', 16).notNullable(); // active | withdrawn | replaced
    // document_type:holder while active, null after: at most one active report per document and holder
    // (both engines allow any number of nulls under a unique index).
    t.string('active_key', 64).nullable().unique();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['reporter_sub', 'created_at']);
    t.index(['document_type', 'holder_national_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('loss_reports');
}
