import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Locale } from '../../i18n/messages.js';
import type { HawiyaClient } from '../../oidc/clientsRepo.js';

const COOKIE = 'hawiya.service';

/** Remembers which service this browser last came to sign in for (a day): its sign-in pages may outlive it. */
export function rememberAskingService(ctx: Context, clientId: string): void {
  ctx.cookies.set(COOKIE, clientId, { httpOnly: true, sameSite: 'lax', maxAge: 86_400_000, overwrite: true });
}

/**
 * The service a sign-in page that has ended (back button after signing in, a lost session) leads back to:
 * its home page (client_uri), which shows the person signed in if they are; none if it has no home page.
 */
export async function askingServiceHome(
  provider: Provider,
  ctx: Context,
  locale: Locale,
): Promise<{ href: string; name: string } | undefined> {
  const clientId = ctx.cookies.get(COOKIE);
  if (!clientId || clientId.length > 128) return undefined;
  const client = await provider.Client.find(clientId).catch(() => undefined);
  const meta = (client?.metadata() ?? {}) as HawiyaClient;
  if (!meta.client_uri || !/^https?:\/\//.test(meta.client_uri)) return undefined;
  const name = (locale === 'ar' ? meta.name_ar : meta.name_en) ?? meta.client_name ?? clientId;
  return { href: meta.client_uri, name };
}
