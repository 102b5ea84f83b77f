import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One refresh-token renewal at a time per service session, across processes: a renewal first claims
  // this lease (a conditional update); a second refresh with the same, already rotated, refresh token would
  // look like token theft to Hawiya and end the grant.
  await knex.schema.alterTable('service_sessions', (t) => {
    t.bigInteger('renewing_until').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('service_sessions', (t) => {
    t.dropColumn('renewing_until');
  });
}
