export { ACR, ACR_VALUES, type AcrValue, requiredAcr } from './acr.js';
export { claimsOf } from './claims.js';
export { type ClientsRepo, createClientsRepo, type HawiyaClient } from './clientsRepo.js';
export { createProvider } from './createProvider.js';
export { purgeExpiredOidc, revokeAccountArtifacts } from './knexAdapter.js';
export type { OidcPages } from './oidcPages.js';
export { type ProviderSettings, providerSettingsOf } from './providerSettings.js';
export { type PublishedDocument, publishedDocument } from './publishedDocuments.js';
export {
  clientCredentialScopes,
  type ResourceServer,
  registryCheckServer,
  serviceResourceServers,
} from './resourceServers.js';
export { serviceClients } from './serviceClients.js';
export { SERVICE_SCOPES } from './supportedScopes.js';
