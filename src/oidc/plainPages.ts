import type { KoaContextWithOIDC } from 'oidc-provider';
import type { OidcPages } from './oidcPages.js';

/**
 * Pages for a provider that serves no browser (the CLI's, which only signs back-channel logout tokens):
 * plain text, the error code and nothing else, so even a misuse never renders a half-built page.
 */
export const plainPages: OidcPages = {
  async renderError(ctx: KoaContextWithOIDC, out: Record<string, string>) {
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = out.error ?? 'server_error';
  },
  async logoutSource(ctx: KoaContextWithOIDC) {
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = 'sign-out is not served here';
  },
  async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = 'signed out';
  },
};
