import type { KoaContextWithOIDC } from 'oidc-provider';

/** The pages oidc-provider renders itself (errors, sign-out): the server's are HTML, the CLI's plain text. */
export interface OidcPages {
  renderError(ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error): Promise<void>;
  logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
}
