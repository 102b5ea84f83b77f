import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Appointments at an office. A slot holds at most `capacity` people: each booking takes a numbered seat
  // 1..capacity, and seat_key (office:slot:seat) is unique while the booking stands; request_key (the
  // request's reference) is unique while it stands, so a request holds at most one. Both are null once
  // cancelled (both engines allow any number of nulls under a unique index).
  await knex.schema.createTable('appointments', (t) => {
    t.increments('id').primary();
    t.string('request', 12).notNullable().references('reference').inTable('replacement_requests');
    t.string('office_id', 32).notNullable().references('id').inTable('offices');
    t.bigInteger('starts_at').notNullable(); // epoch milliseconds
    t.integer('seat').notNullable();
    t.string('status', 16).notNullable(); // booked | attended | cancelled
    t.string('seat_key', 80).nullable().unique();
    t.string('request_key', 12).nullable().unique();
    // the day-before reminder, claimed by exactly one process (an update of a null column)
    t.bigInteger('reminder_claimed_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['office_id', 'starts_at']);
    t.index(['status', 'starts_at']);
    t.index(['request']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('appointments');
}
