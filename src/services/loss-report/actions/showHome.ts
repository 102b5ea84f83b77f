import type { Middleware } from 'koa';
import type { RpServiceDeps } from '../../shared/rpService.js';
import { signedInView } from '../../shared/signedInView.js';

/** GET /: what the service offers, or sign-in with Hawiya. */
export function showHome(deps: RpServiceDeps): Middleware {
  return async function showHome(ctx) {
    deps.render(ctx, { view: 'home', data: signedInView(ctx) });
  };
}
