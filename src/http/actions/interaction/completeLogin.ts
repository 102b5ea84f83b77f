import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Locale } from '../../../i18n/messages.js';
import { localeOf, seeOther } from '../../requestContext.js';

export type CompleteLoginDeps = {
  provider: () => Provider;
  /** keeps the page's language on the account: the `locale` claim the service follows on its return */
  rememberLocale: (accountId: string, locale: Locale) => Promise<void>;
};

/**
 * The last factor was right: the language is kept for the service, and oidc-provider takes the login on.
 * `next` may send the person elsewhere first (the one-time passkey offer), given the URL that resumes.
 */
export async function completeLogin(
  deps: CompleteLoginDeps,
  ctx: Context,
  /** `locale`: the account's language as read in this request, when it was (then kept only if it changed) */
  login: { accountId: string; acr: string; amr: string[]; locale?: Locale | null },
  next: (resume: string) => Promise<string> = async (resume) => resume,
): Promise<void> {
  const locale = localeOf(ctx);
  if (login.locale !== locale) await deps.rememberLocale(login.accountId, locale);
  const url = await deps
    .provider()
    .interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId: login.accountId, acr: login.acr, amr: login.amr, remember: true } },
      { mergeWithLastSubmission: false },
    );
  seeOther(ctx, await next(url));
}
