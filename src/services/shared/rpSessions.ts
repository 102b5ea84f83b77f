import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { createMemoryStore } from './memoryStore.js';

/** What a service keeps about a signed-in citizen: only claims Hawiya released, never a password. */
export interface RpSession {
  /** CSRF token of this session's forms */
  csrf: string;
  /** the ID token, kept as id_token_hint for RP-initiated logout */
  idToken: string;
  sub: string;
  /** Hawiya's session id (the ID token's sid claim), matched by back-channel logout */
  sid: string | undefined;
  nameAr: string;
  nameEn: string;
  nationalId: string | undefined;
}

export interface RpSessions {
  /** starts a session under a fresh random id (never one the browser chose) */
  create(data: Omit<RpSession, 'csrf'>): { id: string; session: RpSession };
  get(id: string): RpSession | undefined;
  destroy(id: string): void;
  /** ends every session of a Hawiya session (sid) or, without sid, of a subject; returns how many */
  endByLogout(target: { sid?: string; sub?: string }): number;
  readonly size: number;
}

/** In-memory per process for now; a later issue moves sessions to the database. */
export function createRpSessions(opts: {
  clock: Clock;
  /** oldest sessions are evicted beyond this (10,000) */
  maxSessions?: number;
  /** inactivity timeout, milliseconds (1 hour) */
  idleMs?: number;
  /** absolute lifetime, milliseconds (24 hours) */
  maxAgeMs?: number;
}): RpSessions {
  const store = createMemoryStore<RpSession>({
    clock: opts.clock,
    maxEntries: opts.maxSessions ?? 10_000,
    idleMs: opts.idleMs ?? 3600_000,
    maxAgeMs: opts.maxAgeMs ?? 86_400_000,
  });
  return {
    create(data) {
      const id = randomBytes(32).toString('base64url');
      const session: RpSession = { ...data, csrf: randomBytes(32).toString('base64url') };
      store.set(id, session);
      return { id, session };
    },
    get: (id) => store.get(id),
    destroy(id) {
      store.delete(id);
    },
    endByLogout({ sid, sub }) {
      if (sid) return store.deleteWhere((s) => s.sid === sid && (sub === undefined || s.sub === sub));
      if (sub) return store.deleteWhere((s) => s.sub === sub);
      return 0;
    },
    get size() {
      return store.size;
    },
  };
}
