import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { type ReplacementDeps, SCOPE } from '../../replacementDeps.js';
import { slotJson } from '../../requestJson.js';

// At most this many slots per answer (`limit`, 20 by default): three weeks of an office's grid.
const MAX_SLOTS = 500;

/** GET /api/offices/:office/slots?limit=: the office's next free times, each with the seats left. */
export function listFreeSlots(deps: ReplacementDeps): Middleware {
  return apiHandler(deps, SCOPE, async (ctx) => {
    const asked = Number(ctx.query.limit);
    const limit = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_SLOTS) : 20;
    const slots = await deps.replacements.freeSlots(String(ctx.params.office), limit);
    ctx.body = { office: String(ctx.params.office), slots: slots.map(slotJson) };
  });
}
