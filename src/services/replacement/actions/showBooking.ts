import type { Context, Middleware } from 'koa';
import { ReplacementRefused } from '../../../replacements/replacementErrors.js';
import type { ReplacementRequest } from '../../../replacements/requestsRepo.js';
import { clockTime, localDateOf, localMinutesOf } from '../../../replacements/riyadhCalendar.js';
import { currentSession } from '../../shared/middleware/loadSession.js';
import { pageRequester } from '../pageRequester.js';
import type { ReplacementDeps } from '../replacementDeps.js';
import { dateView, localeOf } from '../requestView.js';

// The days with a free time offered in the day list (the next three weeks hold more).
const DAYS_OFFERED = 10;

/**
 * The booking page: the offices, the chosen office's next days with a free time (both calendars), the
 * chosen day's free times, and any refusal.
 */
export async function renderBooking(
  deps: ReplacementDeps,
  ctx: Context,
  opts: { request: ReplacementRequest; officeId?: string; date?: string; error?: string; status?: number },
) {
  const offices = await deps.replacements.offices();
  const en = localeOf(ctx) === 'en';
  const chosen = offices.find((o) => o.id === opts.officeId) ?? offices[0];
  const free = chosen ? await deps.replacements.freeSlots(chosen.id, 1000) : [];
  const days = [...new Set(free.map((s) => localDateOf(s.startsAt)))].slice(0, DAYS_OFFERED);
  const date = days.find((d) => d === opts.date) ?? days[0];
  const slots = free.filter((s) => localDateOf(s.startsAt) === date);
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
      days: days.map((d) => ({ date: d, label: dateView(ctx, d) })),
      date,
      dateLabel: date ? dateView(ctx, date) : undefined,
      slots: slots.map((s) => ({
        startsAt: s.startsAt,
        time: clockTime(localMinutesOf(s.startsAt)),
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
    const date = typeof ctx.query.date === 'string' ? ctx.query.date : undefined;
    await renderBooking(deps, ctx, { request, officeId: office, date });
  };
}
