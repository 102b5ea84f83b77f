import type { Knex } from 'knex';
import type { Clock } from '../../shared/clock.js';
import type { LogoutTarget } from './verifyLogoutToken.js';

const TABLE = 'service_ended_sessions';
/** Longer than any API access token lives (10 minutes): after that the token refuses itself. */
const KEEP_MS = 60 * 60 * 1000;

/** What an API access token says about the session it was issued in. */
export interface TokenSession {
  sid?: string;
  sub: string;
  /** issued at, epoch seconds */
  iat: number;
}

/**
 * Owns `service_ended_sessions`: what back-channel logout told this service (review R8), so that every
 * process of its API refuses the access tokens of an ended session, not only the pages' cookie.
 */
export function createEndedSessions(deps: { db: Knex; clock: Clock; service: string }) {
  const { db, clock, service } = deps;
  return {
    async record(target: LogoutTarget): Promise<void> {
      const now = clock.now();
      await db(TABLE).insert({
        service,
        sid: target.sid ?? null,
        sub: target.sid ? null : (target.sub ?? null),
        ended_at: now,
      });
      await db(TABLE)
        .where('ended_at', '<', now - KEEP_MS)
        .delete();
    },
    /**
     * The token's session ended: its sid was logged out, or (a logout naming only the subject) its
     * subject was logged out after the token was issued.
     */
    async isEnded(token: TokenSession): Promise<boolean> {
      const since = clock.now() - KEEP_MS;
      const row = await db(TABLE)
        .where({ service })
        .where('ended_at', '>=', since)
        .where((q) => {
          if (token.sid) q.where({ sid: token.sid });
          q.orWhere((s) => s.where({ sub: token.sub }).where('ended_at', '>=', token.iat * 1000));
        })
        .first('id');
      return row !== undefined;
    },
  };
}

export type EndedSessions = ReturnType<typeof createEndedSessions>;
