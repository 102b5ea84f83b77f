import type { KoaContextWithOIDC } from 'oidc-provider';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/databaseUnavailable.js';
import { type MessageKey, pageText, pickLocale } from '../i18n/messages.js';
import type { OidcPages } from '../oidc/oidcPages.js';
import type { Renderer } from './render.js';

/** Protocol errors a citizen may meet, each explained in their language (the code stays for developers). */
const OAUTH_EXPLAINED = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_redirect_uri',
  'invalid_scope',
  'unsupported_response_type',
]);

/** oidc-provider's own pages (errors, logout confirmation), rendered bilingually like ours. */
export function createOidcPages(render: Renderer): OidcPages {
  const prepare = (ctx: KoaContextWithOIDC) => {
    const locale = pickLocale([
      typeof ctx.oidc?.params?.ui_locales === 'string' ? ctx.oidc.params.ui_locales : undefined,
      ctx.cookies.get('hawiya.lang'),
      ctx.get('Accept-Language'),
    ]);
    ctx.state.locale = locale;
    return locale;
  };
  return {
    async renderError(ctx, out, err) {
      const locale = prepare(ctx);
      if (isDatabaseUnavailable(err)) {
        ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
        render(ctx, 'error', { message: pageText(locale, 'service_unavailable') }, 503);
        return;
      }
      const status = Math.max(ctx.status, 400);
      render(
        ctx,
        'error',
        {
          message: pageText(
            locale,
            OAUTH_EXPLAINED.has(out.error ?? '') ? (`oauth.${out.error}` as MessageKey) : 'oauth.other',
          ),
          oauthError: out.error,
          oauthDescription: out.error_description,
        },
        status,
      );
    },
    async logoutSource(ctx, form) {
      const locale = prepare(ctx);
      render(ctx, 'logout', { title: pageText(locale, 'logout.title'), form });
    },
    async postLogoutSuccessSource(ctx) {
      const locale = prepare(ctx);
      render(ctx, 'message', {
        title: pageText(locale, 'logout.done'),
        text: pageText(locale, 'logout.doneText'),
        link: { href: '/', text: pageText(locale, 'error.back') },
      });
    },
  };
}
