import type Provider from 'oidc-provider';
import { pageText } from '../../../i18n/messages.js';
import { ACR } from '../../../oidc/acr.js';
import type { FormPage } from '../../middleware/formErrors.js';
import type { Renderer } from '../../render.js';
import { field, localeOf } from '../../requestContext.js';
import { clientDisplay } from './clientDisplay.js';

/** The login form shown again: the identifier as typed, never the password. */
export function loginPage(deps: { provider: () => Provider; render: Renderer }): FormPage {
  return async function loginPage(ctx, shown, status = 200) {
    const locale = localeOf(ctx);
    const details = await deps.provider().interactionDetails(ctx.req, ctx.res);
    const client = await clientDisplay(deps.provider(), details.params, locale);
    deps.render(
      ctx,
      'login',
      {
        title: pageText(locale, 'login.title'),
        uid: details.uid,
        clientName: client.name,
        needsHigh: client.requiredAcr === ACR.high,
        identifier: field(ctx, 'identifier', 200),
        ...shown,
      },
      status,
    );
  };
}
