import type { Context, Middleware } from 'koa';
import type { RpCookies } from '../rpCookies.js';
import type { RpSession, RpSessions } from '../rpSessionsRepo.js';

export interface CurrentSession {
  /** the cookie value */
  id: string;
  session: RpSession;
}

/** Looks the session cookie up once per request; actions read it with currentSession(ctx). */
export function loadSession(deps: { sessions: RpSessions; cookies: RpCookies }): Middleware {
  return async function loadSession(ctx, next) {
    const id = ctx.cookies.get(deps.cookies.names.session);
    const session = await deps.sessions.get(id);
    if (id && session) ctx.state.rpSession = { id, session } satisfies CurrentSession;
    await next();
  };
}

export function currentSession(ctx: Context): CurrentSession | undefined {
  return ctx.state.rpSession as CurrentSession | undefined;
}
