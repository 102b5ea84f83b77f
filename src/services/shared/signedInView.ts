import type { Context } from 'koa';
import { maskNationalId } from '../../shared/logger.js';
import { currentSession } from './middleware/loadSession.js';

/** What every service page shows of the signed-in citizen (name, masked national ID, the logout form's CSRF). */
export function signedInView(ctx: Context): Record<string, unknown> {
  const current = currentSession(ctx);
  if (!current) return { signedIn: false };
  const { session } = current;
  return {
    signedIn: true,
    name: ctx.state.locale === 'en' ? session.nameEn : session.nameAr,
    maskedNationalId: session.nationalId ? maskNationalId(session.nationalId) : undefined,
    csrf: session.csrf,
  };
}
