import type { Knex } from 'knex';
import { engineOf } from '../db/createDb.js';
import { listenPg } from '../db/pgListener.js';
import { sqliteDataVersion } from '../db/sqliteDataVersion.js';
import type { Logger } from '../shared/logger.js';
import { clientWritesHere } from './clientsRepo.js';

/** The PostgreSQL channel a trigger on oidc_clients notifies at each commit (see its migration). */
export const CLIENT_CHANGES_CHANNEL = 'hawiya_clients';

/**
 * Says whether client metadata kept in memory is still what the database holds: `stamp()` changes
 * whenever a client may have changed, anywhere; undefined means "do not trust a copy, read".
 */
export interface ClientsFreshness {
  stamp(): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * SQLite: another connection's commit changes PRAGMA data_version (checked on each lookup, no table read),
 * and this process counts its own client writes. PostgreSQL: a LISTEN connection hears the trigger's
 * notification when a client change commits; while that connection is down (and until it first comes up)
 * nothing is trusted, and each (re)connection starts afresh. A removed client or a rotated secret is thus
 * refused by every node from the next request on (on PostgreSQL, once the notification has arrived:
 * the commit's own round trip on the network).
 */
export function createClientsFreshness(deps: {
  db: Knex;
  databaseUrl: string;
  logger: Logger;
}): ClientsFreshness {
  if (engineOf(deps.databaseUrl) === 'sqlite') {
    const dataVersion = sqliteDataVersion(deps.db);
    return {
      stamp: async () => `${await dataVersion()}.${clientWritesHere()}`,
      close: async () => undefined,
    };
  }
  let heard = 0;
  const listener = listenPg({
    url: deps.databaseUrl,
    channel: CLIENT_CHANGES_CHANNEL,
    onNotify: () => {
      heard++;
    },
    onState: (up, err) => {
      heard++;
      if (!up) deps.logger.warn({ err }, 'client-change notifications lost: clients are read on each use');
    },
  });
  return {
    stamp: async () => (listener.listening ? `${heard}.${clientWritesHere()}` : undefined),
    close: () => listener.close(),
  };
}
