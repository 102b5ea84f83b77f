import type { HawiyaClient } from './clientsRepo.js';

/** The two civil-affairs services that ship with Hawiya, registered as first-party government clients. */
export function serviceClients(services: {
  lossReportUrl: string;
  replacementUrl: string;
  lossReportSecret: string;
  replacementSecret: string;
}): HawiyaClient[] {
  const client = (o: {
    id: string;
    url: string;
    secret: string;
    scope: string;
    ar: string;
    en: string;
  }): HawiyaClient => ({
    client_id: o.id,
    client_secret: o.secret,
    client_name: o.en,
    name_ar: o.ar,
    name_en: o.en,
    organization_type: 'government',
    first_party: true,
    redirect_uris: [`${o.url}/callback`],
    post_logout_redirect_uris: [`${o.url}/`],
    backchannel_logout_uri: `${o.url}/backchannel-logout`,
    backchannel_logout_session_required: true,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: `openid profile national_id phone email ${o.scope}`,
    subject_type: 'public',
    allowed_resources: [`${o.url}/api`],
    min_acr: 'urn:hawiya:acr:standard',
  });
  return [
    client({
      id: 'loss-report',
      url: services.lossReportUrl,
      secret: services.lossReportSecret,
      scope: 'civil:loss_report',
      ar: 'الإبلاغ عن الوثائق المفقودة',
      en: 'Report a lost document',
    }),
    client({
      id: 'replacement',
      url: services.replacementUrl,
      secret: services.replacementSecret,
      scope: 'civil:replacement',
      ar: 'طلب بدل فاقد',
      en: 'Request a replacement',
    }),
  ];
}
