import type { Knex } from 'knex';

// Sessions, codes and tokens are now stored under a keyed hash of their value, without the value
// (src/oidc/knexAdapter.ts, HASHED_ID_MODELS). Rows written before held the raw value as their id and in
// their payload, i.e. live bearer tokens: they are deleted rather than kept. People sign in again and
// relying parties get new tokens; remembered consents (Grants) stay. Interactions held a copy of the
// session cookie value and last 30 minutes at most.
const RAW_VALUE_TYPES = [
  'Session',
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'ClientCredentials',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PushedAuthorizationRequest',
  'RegistrationAccessToken',
  'InitialAccessToken',
  'Interaction',
];

export async function up(knex: Knex): Promise<void> {
  await knex('oidc_payloads').whereIn('type', RAW_VALUE_TYPES).delete();
}

export async function down(): Promise<void> {
  // Nothing to restore: the deleted rows are not needed by the earlier code either.
}
