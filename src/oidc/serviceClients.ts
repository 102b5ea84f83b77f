import {
  REGISTRY_CHECK,
  SERVICES,
  type ServiceId,
  type ServicesSettings,
  serviceDescriptor,
  serviceUris,
} from '../shared/serviceRegistry.js';
import type { HawiyaClient } from './clientsRepo.js';

/** The civil-affairs services that ship with Hawiya, as clients: one per registry descriptor. */
export function serviceClients(settings: { issuer: string; services: ServicesSettings }): HawiyaClient[] {
  return SERVICES.map((s) => {
    const { url, clientSecret } = settings.services[s.id];
    const uris = serviceUris(url);
    // A service that checks holders asks Hawiya's registry check with a client-credentials token.
    const check = s.client.registryCheck;
    // The APIs of other services it calls: their person scope and resource, and its client-credentials scopes.
    const called = s.calls.map((c) => ({ ...c, descriptor: serviceDescriptor(c.service as ServiceId) }));
    const machineScopes = [
      ...(check ? [REGISTRY_CHECK.scope] : []),
      ...called.flatMap((c) => c.clientScopes),
    ];
    return {
      client_id: s.id,
      client_secret: clientSecret,
      client_name: s.name.en,
      name_ar: s.name.ar,
      name_en: s.name.en,
      organization_type: s.client.organizationType,
      first_party: s.client.firstParty,
      // its home page: where a person is sent back from a sign-in page that has ended (back button, lost session)
      client_uri: uris.postLogoutRedirectUri,
      redirect_uris: [uris.redirectUri],
      post_logout_redirect_uris: [uris.postLogoutRedirectUri],
      backchannel_logout_uri: uris.backchannelLogoutUri,
      backchannel_logout_session_required: true,
      token_endpoint_auth_method: s.client.tokenEndpointAuthMethod,
      grant_types: [
        'authorization_code',
        'refresh_token',
        ...(machineScopes.length > 0 ? ['client_credentials'] : []),
      ],
      response_types: ['code'],
      scope: [...s.client.scopes, s.scope, ...called.map((c) => c.descriptor.scope), ...machineScopes].join(
        ' ',
      ),
      subject_type: s.client.subjectType,
      allowed_resources: [
        uris.apiResource,
        ...called.map((c) => serviceUris(settings.services[c.descriptor.id as ServiceId].url).apiResource),
        ...(check ? [`${settings.issuer}${REGISTRY_CHECK.path}`] : []),
      ],
      min_acr: s.client.minAcr,
    };
  });
}
