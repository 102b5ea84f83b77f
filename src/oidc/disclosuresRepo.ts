import type { Knex } from 'knex';
import { createPreparedStatements, type SqlValue } from '../db/preparedStatements.js';

export type DisclosureChannel = 'id_token' | 'userinfo' | 'access_token';

/** One release of a person's data to a relying party: which claims and scopes, when, at which level. */
export interface Disclosure {
  accountId: string;
  clientId: string;
  grantId: string | null;
  at: number;
  channel: DisclosureChannel;
  acr: string | null;
  scopes: string[];
  claims: string[];
  resource: string | null;
}

/** The `disclosures` table (written by recordDisclosures, read by the security page). */
export function createDisclosuresRepo(db: Knex) {
  // written on every token response: a prepared statement, committed with the token writes around it
  const sql = createPreparedStatements(db);
  const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const INSERT = (rows: number) =>
    `insert into "disclosures" ("account_id", "client_id", "grant_id", "at", "channel", "acr", "scopes", "claims", "resource") values ${Array(rows).fill(ROW).join(', ')}`;
  const valuesOf = (d: Disclosure): SqlValue[] => [
    d.accountId,
    d.clientId,
    d.grantId,
    d.at,
    d.channel,
    d.acr,
    d.scopes.join(' '),
    JSON.stringify(d.claims),
    d.resource,
  ];
  // A userinfo answer's release, at the level of the newest release under its grant that names one (userinfo
  // answers carry none): one statement, so the first read of a grant costs one write and no read before it.
  const INSERT_USERINFO = `insert into "disclosures" ("account_id", "client_id", "grant_id", "at", "channel", "acr", "scopes", "claims", "resource")
    select ?, ?, ?, cast(? as bigint), 'userinfo', (select "acr" from "disclosures"
      where "account_id" = ? and "grant_id" = ? and "acr" is not null order by "id" desc limit 1), ?, ?, null`;
  return {
    /** A userinfo answer's release (its level taken from the grant's newest release with one). */
    async insertUserinfo(d: Omit<Disclosure, 'channel' | 'acr' | 'resource'>): Promise<void> {
      await sql.run(INSERT_USERINFO, [
        d.accountId,
        d.clientId,
        d.grantId,
        d.at,
        d.accountId,
        d.grantId,
        d.scopes.join(' '),
        JSON.stringify(d.claims),
      ]);
    },
    /**
     * The releases of a token answer, written with its tokens (see holdingWrites): a failure goes to
     * `onFailure`, never to the answer. Outside such a scope, written at once.
     */
    async insertWithAnswer(list: Disclosure[], onFailure: (err: unknown) => void): Promise<void> {
      if (list.length > 0) await sql.runHeld(INSERT(list.length), list.flatMap(valuesOf), { onFailure });
    },
    /** Every release to any relying party, newest first. */
    async listFor(accountId: string, limit = 500): Promise<Disclosure[]> {
      const rows = await db('disclosures')
        .where({ account_id: accountId })
        .orderBy('id', 'desc')
        .limit(limit);
      return rows.map((r) => ({
        accountId: String(r.account_id),
        clientId: String(r.client_id),
        grantId: (r.grant_id as string | null) ?? null,
        at: Number(r.at),
        channel: r.channel as DisclosureChannel,
        acr: (r.acr as string | null) ?? null,
        scopes: String(r.scopes).split(' ').filter(Boolean),
        claims: JSON.parse(String(r.claims)) as string[],
        resource: (r.resource as string | null) ?? null,
      }));
    },
  };
}

export type DisclosuresRepo = ReturnType<typeof createDisclosuresRepo>;
