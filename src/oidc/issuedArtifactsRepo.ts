import type { Knex } from 'knex';

// What a compromised signing key may have vouched for: sessions (ID tokens name them), grants and tokens.
// Interactions, PAR requests and replay-detection rows are short-lived and carry no authority.
const ISSUED_TYPES = [
  'Session',
  'Grant',
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'ClientCredentials',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
];
const CHUNK = 500;

/**
 * Reads oidc-provider's rows in `oidc_payloads` (owned by oidc/knexAdapter): used only by an emergency key
 * rotation to end everything issued while the compromised key was signing.
 */
export function createIssuedArtifactsRepo(db: Knex) {
  return {
    /**
     * Deletes every session, grant and token whose `iat` (epoch seconds, in the JSON payload) is at or after
     * `since` (epoch ms), and every row that shares a grant with one of them. Returns the rows deleted.
     */
    async revokeIssuedSince(since: number, trx?: Knex): Promise<number> {
      const conn = trx ?? db;
      const sinceSeconds = Math.floor(since / 1000);
      const rows: { type: string; id: string; payload: string; grant_id: string | null }[] = await conn(
        'oidc_payloads',
      )
        .whereIn('type', ISSUED_TYPES)
        .select('type', 'id', 'payload', 'grant_id');
      const hit = rows.filter((r) => {
        try {
          const iat = (JSON.parse(r.payload) as { iat?: unknown }).iat;
          return typeof iat === 'number' && iat >= sinceSeconds;
        } catch {
          return false;
        }
      });
      let deleted = 0;
      const byType = new Map<string, string[]>();
      for (const r of hit) byType.set(r.type, [...(byType.get(r.type) ?? []), r.id]);
      for (const [type, ids] of byType) {
        for (let i = 0; i < ids.length; i += CHUNK) {
          deleted += await conn('oidc_payloads')
            .where({ type })
            .whereIn('id', ids.slice(i, i + CHUNK))
            .delete();
        }
      }
      // A revoked grant takes its older tokens with it; a revoked token's grant goes too.
      const grants = [
        ...new Set(hit.flatMap((r) => (r.type === 'Grant' ? [r.id] : r.grant_id ? [r.grant_id] : []))),
      ];
      for (let i = 0; i < grants.length; i += CHUNK) {
        const chunk = grants.slice(i, i + CHUNK);
        deleted += await conn('oidc_payloads').whereIn('grant_id', chunk).delete();
        deleted += await conn('oidc_payloads').where({ type: 'Grant' }).whereIn('id', chunk).delete();
      }
      return deleted;
    },
  };
}

export type IssuedArtifactsRepo = ReturnType<typeof createIssuedArtifactsRepo>;
