import { type Configuration, errors } from 'oidc-provider';
import { acrRank } from './acr.js';
import type { HawiyaClient } from './clientsRepo.js';

/** A client's metadata with Hawiya's own properties (extraClientMetadata below). */
export function hawiyaMetadataOf(client: { metadata(): Record<string, unknown> }): HawiyaClient {
  return client.metadata() as HawiyaClient;
}

/** Hawiya's client properties and their rules, checked whenever a client is loaded or registered. */
export const extraClientMetadata: NonNullable<Configuration['extraClientMetadata']> = {
  properties: ['name_ar', 'name_en', 'organization_type', 'first_party', 'min_acr', 'allowed_resources'],
  validator(_ctx, key, value, metadata) {
    if (key === 'organization_type' && value !== undefined && value !== 'government' && value !== 'private') {
      throw new errors.InvalidClientMetadata('organization_type must be government or private');
    }
    if (key === 'first_party' && value === true && metadata.organization_type !== 'government') {
      throw new errors.InvalidClientMetadata('only government clients may skip consent');
    }
    if (key === 'min_acr' && value !== undefined && acrRank(value as string) < 0) {
      throw new errors.InvalidClientMetadata('min_acr must be one of the supported acr values');
    }
  },
};
