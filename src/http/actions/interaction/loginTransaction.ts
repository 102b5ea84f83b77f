import type { Context } from 'koa';
import type { FactorUsed } from '../../../oidc/acr.js';
import type { OtpChannel } from '../../../otp/index.js';
import { FlowExpired } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';

/** What one login has proven so far, bound to its interaction; codes are bound to it too. */
export interface LoginTransaction {
  accountId: string;
  factors: FactorUsed[];
  channel: OtpChannel;
  maskedTo: string;
  hasEmail: boolean;
}

export const LOGIN_TX_SECONDS = 900;

export async function loadLoginTransaction(deps: IdpDeps, uid: string): Promise<LoginTransaction> {
  const tx = await deps.flows.find<LoginTransaction>('login', uid);
  if (!tx) throw new FlowExpired();
  return tx;
}

export async function interactionOf(deps: IdpDeps, ctx: Context, expectedPrompt: string) {
  const details = await deps.provider().interactionDetails(ctx.req, ctx.res);
  if (details.uid !== ctx.params.uid || details.prompt.name !== expectedPrompt) throw new FlowExpired();
  return details;
}
