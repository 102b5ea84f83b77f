import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { pageText, pickLocale } from '../i18n/messages.js';
import type { Renderer } from './render.js';

export type ProviderHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * oidc-provider's request handler, made once per provider (a new one comes with new signing keys): paths
 * nobody serves get Hawiya's 404 page in the person's language rather than the provider's bare "Not Found".
 */
export function providerHandlers(render: Renderer): (provider: Provider) => ProviderHandler {
  const handlers = new WeakMap<Provider, ProviderHandler>();
  return (provider) => {
    let handle = handlers.get(provider);
    if (!handle) {
      provider.use(async (pctx, next) => {
        await next();
        if (pctx.status === 404 && pctx.body === undefined) {
          pctx.state.locale = pickLocale([
            typeof pctx.query.lang === 'string' ? pctx.query.lang : undefined,
            pctx.cookies.get('hawiya.lang'),
            pctx.get('Accept-Language'),
          ]);
          render(pctx, 'error', { message: pageText(pctx.state.locale, 'not_found') }, 404);
        }
      });
      handle = provider.callback() as ProviderHandler;
      handlers.set(provider, handle);
    }
    return handle;
  };
}

/** Where a provider serves one of its routes; undefined for a feature not enabled (e.g. the device flow). */
export function routePath(provider: Provider, route: string): string | undefined {
  try {
    return provider.pathFor(route);
  } catch {
    return undefined;
  }
}
