import type { KoaContextWithOIDC } from 'oidc-provider';
import { holdingAnswerWrites } from '../db/answerWrites.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/databaseUnavailable.js';
import type { PreparedStatements } from '../db/preparedStatements.js';
import type { Logger } from '../shared/logger.js';

/**
 * The writes of an answer to a GET (the authorization endpoint and its resumes: the interaction ended or
 * begun, the session, the code, the signed-in device) are held until the answer is ready and committed
 * together before it leaves: one commit where a resume had up to five. None of them is read back in the
 * same request. If they cannot be stored, the answer (a redirect carrying a code, a session cookie) does
 * not leave: an error page takes its place, without its cookies.
 */
export function holdAuthorizationWrites(deps: {
  sql: PreparedStatements;
  /** the authorization endpoint's path (its resumes are beneath it): other GETs (userinfo) are not held */
  authorizationPath: string;
  renderError(ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error): Promise<void>;
  logger: Logger;
}) {
  return async function holdAuthorizationWrites(ctx: KoaContextWithOIDC, next: () => Promise<void>) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path !== deps.authorizationPath && !ctx.path.startsWith(`${deps.authorizationPath}/`))
      return next();
    let answered = false;
    try {
      await holdingAnswerWrites(deps.sql, async () => {
        await next();
        answered = true;
      });
    } catch (err) {
      if (!answered) throw err;
      deps.logger.error({ err }, 'the writes of an authorization answer could not be stored');
      ctx.remove('Location');
      ctx.remove('Set-Cookie');
      // the database down or busy: "try again shortly", as every other answer says then
      const unavailable = isDatabaseUnavailable(err);
      if (unavailable) ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      ctx.status = unavailable ? 503 : 500;
      await deps.renderError(
        ctx,
        unavailable
          ? {
              error: 'temporarily_unavailable',
              error_description: 'the service is temporarily unavailable, try again shortly',
            }
          : { error: 'server_error', error_description: 'oops! something went wrong' },
        err instanceof Error ? err : new Error(String(err)),
      );
    }
  };
}
