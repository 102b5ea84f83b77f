import type { Knex } from 'knex';
import type { ClientMetadata } from 'oidc-provider';
import type { Clock } from '../shared/clock.js';
import { hashClientSecret, isHashedClientSecret } from './clientSecrets.js';

/** Hawiya's own client metadata, beside the standard OIDC fields (declared in extraClientMetadata). */
export interface HawiyaClientExtras {
  /** display names */
  name_ar?: string;
  name_en?: string;
  /** government bodies may be trusted to skip consent; private ones never are */
  organization_type?: 'government' | 'private';
  /** skip the consent page (first-party government clients only) */
  first_party?: boolean;
  /** lowest acr this client accepts */
  min_acr?: string;
  /** resource indicators (APIs) this client may ask tokens for */
  allowed_resources?: string[];
}

export type HawiyaClient = ClientMetadata & HawiyaClientExtras;

// Client writes made by this process, counted before and after each: a copy of a client kept in memory
// (clientsFreshness) is dropped when this changes, since this process's own SQLite commits leave
// PRAGMA data_version as it was.
let writesHere = 0;

/** How many client writes this process has started or finished. */
export function clientWritesHere(): number {
  return writesHere;
}

async function counted<T>(write: () => Promise<T>): Promise<T> {
  writesHere++;
  try {
    return await write();
  } finally {
    writesHere++;
  }
}

/** The relying parties, one JSON document per client; oidc-provider reads them through the adapter. */
export function createClientsRepo(deps: { db: Knex; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async find(clientId: string): Promise<HawiyaClient | undefined> {
      const row = await db('oidc_clients').where({ client_id: clientId }).first();
      return row ? (JSON.parse(row.metadata) as HawiyaClient) : undefined;
    },
    async list(): Promise<HawiyaClient[]> {
      const rows = await db('oidc_clients').orderBy('client_id');
      return rows.map((r) => JSON.parse(r.metadata) as HawiyaClient);
    },
    /** A plain client_secret is hashed on the way in: only its hash is ever stored. */
    async save(input: HawiyaClient): Promise<void> {
      const client =
        typeof input.client_secret === 'string' && !isHashedClientSecret(input.client_secret)
          ? { ...input, client_secret: hashClientSecret(input.client_secret) }
          : input;
      const now = clock.now();
      await counted(() =>
        db('oidc_clients')
          .insert({
            client_id: client.client_id,
            metadata: JSON.stringify(client),
            created_at: now,
            updated_at: now,
          })
          .onConflict('client_id')
          .merge(['metadata', 'updated_at']),
      );
    },
    async remove(clientId: string): Promise<boolean> {
      return (await counted(() => db('oidc_clients').where({ client_id: clientId }).delete())) > 0;
    },
  };
}

export type ClientsRepo = ReturnType<typeof createClientsRepo>;
