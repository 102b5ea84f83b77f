import type { Middleware } from 'koa';
import * as oidc from 'openid-client';
import type { FlowsRepo } from '../../../flows/flowsRepo.js';
import { newFlowHandle } from '../../../flows/flowsRepo.js';
import { FlowExpired } from '../../../shared/errors.js';
import { maskNationalId } from '../../../shared/logger.js';
import { type FlowCookie, seeOther } from '../../requestContext.js';
import { ACCOUNT_SESSION_SECONDS, type AccountRp, type AccountSession } from './accountRp.js';

/** GET /account/callback: exchanges the code; the account pages now know who this is. */
export function accountCallback(deps: { rp: AccountRp; flows: FlowsRepo; cookie: FlowCookie }): Middleware {
  return async function accountCallback(ctx) {
    const handle = deps.cookie.get(ctx);
    const session = await deps.flows.find<AccountSession>('account', handle);
    if (!handle || !session?.pending) throw new FlowExpired();
    if (typeof ctx.query.error === 'string') {
      await deps.flows.remove(handle);
      deps.cookie.clear(ctx);
      seeOther(ctx, '/');
      return;
    }
    const config = await deps.rp.configuration();
    let sub: string;
    let sid: string;
    let person: AccountSession['person'];
    let authTime: number;
    let acr: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(
        config,
        new URL(ctx.originalUrl, deps.rp.redirectUri),
        {
          pkceCodeVerifier: session.pending.verifier,
          expectedState: session.pending.state,
          expectedNonce: session.pending.nonce,
        },
      );
      sub = String(tokens.claims()?.sub ?? '');
      sid = String(tokens.claims()?.sid ?? '');
      authTime = Number(tokens.claims()?.auth_time ?? 0);
      acr = String(tokens.claims()?.acr ?? '');
      if (sub === '' || sid === '') throw new Error('no sub or sid');
      const info = await oidc.fetchUserInfo(config, tokens.access_token, sub);
      const str = (v: unknown) => (typeof v === 'string' ? v : '');
      person = {
        name: { ar: str(info['name#ar']) || str(info.name), en: str(info['name#en']) || str(info.name) },
        maskedNationalId: maskNationalId(str(info.national_id)),
      };
    } catch {
      throw new FlowExpired();
    }
    // A fresh handle: the one used before sign-in is never the one that carries the identity.
    await deps.flows.remove(handle);
    const fresh = newFlowHandle();
    await deps.flows.save<AccountSession>(
      'account',
      fresh,
      { accountId: sub, sid, person, authTime, acr },
      ACCOUNT_SESSION_SECONDS,
    );
    deps.cookie.set(ctx, fresh);
    seeOther(ctx, '/account');
  };
}
