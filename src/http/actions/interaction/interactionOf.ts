import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { FlowExpired } from '../../../shared/errors.js';

/** The interaction of this request, at the prompt the page belongs to; FlowExpired otherwise. */
export async function interactionOf(provider: () => Provider, ctx: Context, expectedPrompt: string) {
  const details = await provider().interactionDetails(ctx.req, ctx.res);
  if (details.uid !== ctx.params.uid || details.prompt.name !== expectedPrompt) throw new FlowExpired();
  return details;
}
