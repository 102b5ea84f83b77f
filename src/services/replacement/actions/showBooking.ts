import type { Context, Middleware } from 'koa';
import { ReplacementRefused } from '../../../replacements/replacementErrors.js';
import type { ReplacementRequest } from '../../../replacements/requestsRepo.js';
import { currentSession } from '../../shared/middleware/loadSession.js';
import { pageRequester } from '../pageRequester.js';
import type { ReplacementDeps } from '../replacementDeps.js';
import { localeOf, timeView } from '../requestView.js';

/** The booking page: the offices, the chosen office's next free times (both calendars), any refusal. */
export async function renderBooking(
  deps: ReplacementDeps,
  ctx: Context,
  opts: { request: ReplacementRequest; officeId?: string; error?: string; status?: number },
) {
  const offices = await deps.replacements.offices();
  const en = localeOf(ctx) === 'en';
  const chosen = offices.find((o) => o.id === opts.officeId) ?? offices[0];
  const slots = chosen ? await deps.replacements.freeSlots(chosen.id) : [];
  deps.render(ctx, {
    view: 'book',
    status: opts.status,
    data: {
      reference: opts.request.reference,
      reschedule: opts.request.status === 'booked',
      offices: offices.map((o) => ({
        id: o.id,
        name: `${en ? o.cityEn : o.cityAr} · ${en ? o.nameEn : o.nameAr}`,
      })),
      officeId: chosen?.id,
      slots: slots.map((s) => ({
        startsAt: s.startsAt,
        label: timeView(ctx, s.startsAt),
        seatsLeft: s.seatsLeft,
      })),
      error: opts.error,
      csrf: currentSession(ctx)?.session.csrf,
    },
  });
}

/** GET /requests/:reference/book?office=: choose an office and one of its next free times. */
export function showBooking(deps: ReplacementDeps): Middleware {
  return async function showBooking(ctx) {
    const requester = await pageRequester(deps, ctx);
    if (!requester) return;
    const request = await deps.replacements.own(requester, String(ctx.params.reference));
    if (request.status !== 'submitted' && request.status !== 'booked')
      throw new ReplacementRefused('wrong_state');
    const office = typeof ctx.query.office === 'string' ? ctx.query.office : undefined;
    await renderBooking(deps, ctx, { request, officeId: office });
  };
}
