import type { Context } from 'koa';
import type { LoginTransaction } from '../../../accounts/login/loginFlow.js';
import { FlowExpired } from '../../../shared/errors.js';
import type { IdpDeps } from '../../deps.js';

export async function loadLoginTransaction(deps: IdpDeps, uid: string): Promise<LoginTransaction> {
  return deps.accounts.login.transaction(uid);
}

export async function interactionOf(deps: IdpDeps, ctx: Context, expectedPrompt: string) {
  const details = await deps.provider().interactionDetails(ctx.req, ctx.res);
  if (details.uid !== ctx.params.uid || details.prompt.name !== expectedPrompt) throw new FlowExpired();
  return details;
}
