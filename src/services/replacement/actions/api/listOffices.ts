import type { Middleware } from 'koa';
import { apiHandler } from '../../../shared/apiHandler.js';
import { type ReplacementDeps, SCOPE } from '../../replacementDeps.js';
import { officeJson } from '../../requestJson.js';

/** GET /api/offices: the offices taking bookings, their hours (Riyadh), slot length and capacity. */
export function listOffices(deps: ReplacementDeps): Middleware {
  return apiHandler(deps, SCOPE, async (ctx) => {
    ctx.body = { offices: (await deps.replacements.offices()).map(officeJson) };
  });
}
