import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Requests for a replacement of a reported document (the replacement service's; it knows the loss report
  // only by its reference and what the loss-report API told it).
  await knex.schema.createTable('replacement_requests', (t) => {
    t.string('reference', 12).primary(); // RQ + 10 digits, the last a check digit
    t.string('requester_sub', 255).notNullable();
    t.string('requester_national_id', 10).nullable();
    t.string('requester_name_ar', 400).notNullable();
    t.string('requester_name_en', 400).notNullable();
    t.string('phone', 32).nullable(); // for the confirmation and the reminder
    t.string('email', 320).nullable();
    t.string('loss_report', 12).notNullable();
    t.string('document_type', 32).notNullable();
    t.string('holder_national_id', 10).notNullable();
    t.string('holder_name', 400).notNullable();
    // submitted | booked | attended | ready | collected | cancelled
    t.string('status', 16).notNullable();
    // the loss report's reference while the request is open: one open request per lost document
    t.string('open_key', 12).nullable().unique();
    t.boolean('biometrics_captured').notNullable().defaultTo(false);
    t.string('collection_date', 10).nullable(); // YYYY-MM-DD, Asia/Riyadh
    t.bigInteger('report_closed_at').nullable(); // when the loss-report API closed the report as replaced
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['requester_sub', 'created_at']);
    t.index(['status', 'report_closed_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('replacement_requests');
}
