import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { oidcIdKeys, storedOidcId } from '../../src/oidc/knexAdapter.js';
import { bulkInsert } from './bulkInsert.js';

type Row = Record<string, unknown> & { type: string; id: string; payload: string };

/** The rows one real login left (its grant, code, access and refresh tokens), to be multiplied. */
export interface TemplateRows {
  grant: Row;
  byType: Map<string, Row>;
  verifier: string;
}

export async function templateRowsOf(
  db: Knex,
  accessGrantId: string,
  verifier: string,
): Promise<TemplateRows> {
  const rows = (await db('oidc_payloads')
    .where({ grant_id: accessGrantId })
    .orWhere({ type: 'Grant', id: accessGrantId })) as Row[];
  const grant = rows.find((r) => r.type === 'Grant');
  if (!grant) throw new Error('the template login left no Grant row');
  return { grant, byType: new Map(rows.filter((r) => r.type !== 'Grant').map((r) => [r.type, r])), verifier };
}

export type PoolKind = 'AccessToken' | 'RefreshToken' | 'AuthorizationCode';

const id43 = () => randomBytes(32).toString('base64url').slice(0, 43);

/**
 * `n` tokens of one kind, each with its own grant, for accounts taken in turn from `accountIds`: copies of
 * what the server wrote for a real login, with fresh values stored the way the server stores them (row id =
 * keyed hash of the value under COOKIE_KEYS, value left out of the payload), issued now with the same
 * lifetime. Returns the values a client would present.
 */
export async function clonePool(
  db: Knex,
  template: TemplateRows,
  opts: {
    kind: PoolKind;
    n: number;
    accountIds: readonly string[];
    cookieKeys: readonly string[];
    engine: 'sqlite' | 'pg';
    offset?: number;
  },
): Promise<string[]> {
  const token = template.byType.get(opts.kind);
  if (!token) throw new Error(`the template login left no ${opts.kind}`);
  const [firstKey] = oidcIdKeys(opts.cookieKeys);
  if (!firstKey) throw new Error('no cookie key');
  const key: Buffer = firstKey;
  const grantPayload = JSON.parse(template.grant.payload) as Record<string, number | string>;
  const tokenPayload = JSON.parse(token.payload) as Record<string, number | string>;
  const now = Math.floor(Date.now() / 1000);
  const grantLife = Number(grantPayload.exp) - Number(grantPayload.iat);
  const tokenLife = Number(tokenPayload.exp) - Number(tokenPayload.iat);
  const values: string[] = [];
  function* rows() {
    for (let i = 0; i < opts.n; i++) {
      const accountId = opts.accountIds[((opts.offset ?? 0) + i) % opts.accountIds.length] ?? '';
      const grantId = id43();
      const value = id43();
      values.push(value);
      yield {
        ...template.grant,
        id: grantId,
        account_id: accountId,
        expires_at: (now + grantLife) * 1000,
        payload: JSON.stringify({ ...grantPayload, jti: grantId, accountId, iat: now, exp: now + grantLife }),
      };
      const payload: Record<string, unknown> = {
        ...tokenPayload,
        accountId,
        grantId,
        iat: now,
        exp: now + tokenLife,
      };
      if ('iiat' in payload) payload.iiat = now;
      if ('authTime' in payload) payload.authTime = now;
      yield {
        ...token,
        id: storedOidcId(key, value),
        grant_id: grantId,
        account_id: accountId,
        expires_at: (now + tokenLife) * 1000,
        consumed_at: null,
        payload: JSON.stringify(payload),
      };
    }
  }
  await bulkInsert(db, opts.engine, 'oidc_payloads', rows());
  return values;
}
