import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Knex } from 'knex';
import type { Audit } from '../shared/audit.js';
import type { Clock } from '../shared/clock.js';
import { createKeyFiles } from './keyFiles.js';
import { duePrevious, keysNeeded, planRotation, publishedAfter } from './keyLifecycle.js';
import { KeyRefused } from './keyRefused.js';
import { createKeysRepo, type KeyState, type SigningAlg, type SigningKeyRecord } from './keysRepo.js';

const STATE_ORDER: Record<KeyState, number> = { current: 0, next: 1, previous: 2, retired: 3 };

export interface RotationResult {
  alg: SigningAlg;
  immediate: boolean;
  /** the key that signs from now on */
  current: string;
  /** the key published to sign at the next rotation */
  next: string;
  /** keys that stopped signing and stay published until their retire-after */
  previous: string[];
  /** keys removed from the JWKS */
  retired: string[];
  generated: string[];
  /** sessions, grants and tokens deleted (emergency rotation with revoke) */
  revoked: number;
  /** relying parties told of the sessions ended (back-channel logout), and those that could not be */
  logoutsSent: number;
  logoutsFailed: number;
}

/** What an emergency revocation deleted, and what it does once that is committed. */
export interface Revocation {
  rows: number;
  /** e.g. tells the relying parties of the ended sessions; runs after the commit, never undoes it */
  afterCommit?: () => Promise<{ notified: number; failed: number }>;
}

export interface RetireResult {
  kid: string;
  from: KeyState;
  alreadyRetired: boolean;
  fileDeleted: boolean;
}

function newKid(alg: SigningAlg): string {
  return `${alg.toLowerCase()}-${randomBytes(9).toString('base64url')}`;
}

async function generateJwk(alg: SigningAlg, kid: string): Promise<JWK> {
  const { privateKey } =
    alg === 'EdDSA'
      ? await generateKeyPair('Ed25519', { extractable: true })
      : await generateKeyPair(alg, {
          extractable: true,
          ...(alg === 'ES256' ? {} : { modulusLength: 3072 }),
        });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid, alg, use: 'sig' };
}

/**
 * The signing keys: states in the database, private halves in keys/. The JWKS given to oidc-provider lists
 * the current key of each algorithm first; next and previous keys can only verify (key_ops), so a key is
 * published before it signs and stays published until what it signed has expired.
 */
export function createKeyStore(deps: {
  db: Knex;
  dir: string;
  encryptionKey?: string;
  clock: Clock;
  audit?: Audit;
  /** how long a next key must have been published before a rotation may make it sign, ms (0) */
  minPublishMs?: number;
  /**
   * Ends what was issued since a moment (`--now --revoke`), inside the rotation's transaction. The OIDC
   * layer owns those rows and supplies it; without it, --revoke is refused.
   */
  revokeIssuedSince?: (sinceMs: number, trx: Knex, actor: string) => Promise<Revocation>;
}) {
  const repo = createKeysRepo(deps.db);
  const files = createKeyFiles({ dir: deps.dir, encryptionKey: deps.encryptionKey });

  /** Throws KeyUnreadable naming the first key whose private half cannot be read. */
  function assertReadable(keys: readonly SigningKeyRecord[]): void {
    for (const k of keys) files.read(k.kid);
  }

  function removeQuietly(kid: string): void {
    try {
      files.remove(kid);
    } catch {
      // a leftover file names no row: harmless, and the original error matters more
    }
  }

  async function create(alg: SigningAlg, state: KeyState, trx?: Knex): Promise<SigningKeyRecord> {
    const kid = newKid(alg);
    files.write(kid, await generateJwk(alg, kid));
    const now = deps.clock.now();
    const rec: SigningKeyRecord = {
      kid,
      alg,
      state,
      createdAt: now,
      activatedAt: state === 'current' ? now : null,
      retireAfter: null,
      retiredAt: null,
    };
    await repo.insert(rec, trx);
    return rec;
  }

  return {
    repo,
    files,
    create,

    /**
     * First start: an ES256 key (the default) and an RS256 key for older clients, both current, and an ES256
     * key published as `next`, so that the first `keys rotate` already changes the signing key.
     */
    async ensureKeys(actor = 'system'): Promise<SigningKeyRecord[]> {
      const keys = await repo.list();
      const made: SigningKeyRecord[] = [];
      const wanted: [SigningAlg, KeyState][] = [
        ['ES256', 'current'],
        ['RS256', 'current'],
        ['ES256', 'next'],
      ];
      for (const [alg, state] of wanted) {
        if (!keys.some((k) => k.alg === alg && k.state === state)) {
          const rec = await create(alg, state);
          made.push(rec);
          await deps.audit?.record({ event: 'key_generated', actor, details: { kid: rec.kid, alg, state } });
        }
      }
      if (made.length > 0) await repo.announceChange();
      return made;
    },

    assertReadable,

    /**
     * Rotates the keys of one algorithm (see planRotation). Refuses, changing nothing, when a key that stays
     * published cannot be read. New key files are written before the rows that name them; every database
     * change (states, new rows, revocation, audit) is one transaction.
     */
    async rotate(opts: {
      alg?: SigningAlg;
      immediate?: boolean;
      revoke?: boolean;
      actor: string;
    }): Promise<RotationResult> {
      const alg = opts.alg ?? 'ES256';
      const immediate = opts.immediate === true;
      if (opts.revoke && !deps.revokeIssuedSince) {
        throw new KeyRefused('revoke_unavailable', 'this key store cannot revoke sessions and tokens');
      }
      if (opts.revoke && !immediate) {
        throw new KeyRefused(
          'revoke_needs_now',
          'revoking sessions and tokens is part of an emergency rotation (--now)',
        );
      }
      const before = await repo.list();
      const due = before
        .filter((k) => k.alg === alg && k.state === 'next')
        .sort((a, b) => a.createdAt - b.createdAt)[0];
      const age = due ? deps.clock.now() - due.createdAt : 0;
      if (!immediate && due && age < (deps.minPublishMs ?? 0)) {
        const ready = new Date(due.createdAt + (deps.minPublishMs ?? 0)).toISOString();
        throw new KeyRefused(
          'next_too_new',
          `the next key ${due.kid} was published ${Math.floor(age / 1000)} s ago: relying parties and other nodes may not have it yet; rotate after ${ready} (KEYS_MIN_PUBLISH_SECONDS), or use --now in an emergency`,
        );
      }
      const needed = keysNeeded({ keys: before, alg, immediate });
      const dry = planRotation({
        keys: before,
        alg,
        immediate,
        now: deps.clock.now(),
        newKids: Array.from({ length: needed }, (_, i) => `planned-${i}`),
      });
      assertReadable(publishedAfter(before, dry.updates));

      const kids = Array.from({ length: needed }, () => newKid(alg));
      try {
        for (const kid of kids) files.write(kid, await generateJwk(alg, kid));
        let afterCommit: Revocation['afterCommit'];
        const result = await deps.db.transaction(async (trx) => {
          const keys = await repo.listForUpdate(trx);
          if (keysNeeded({ keys, alg, immediate }) !== needed) {
            throw new KeyRefused('keys_changed', 'the keys changed during the rotation: run it again');
          }
          const now = deps.clock.now();
          const plan = planRotation({ keys, alg, immediate, now, newKids: kids });
          assertReadable(publishedAfter(keys, plan.updates));
          for (const u of plan.updates) await repo.update(u.kid, u.patch, trx);
          for (const rec of plan.inserts) await repo.insert(rec, trx);
          const since = plan.oldCurrent
            ? (plan.oldCurrent.activatedAt ?? plan.oldCurrent.createdAt)
            : undefined;
          const revocation =
            opts.revoke && since !== undefined && deps.revokeIssuedSince
              ? await deps.revokeIssuedSince(since, trx, opts.actor)
              : { rows: 0 };
          afterCommit = revocation.afterCommit;
          const revoked = revocation.rows;

          const result: RotationResult = {
            alg,
            immediate,
            current: plan.current,
            next: plan.next,
            previous: plan.updates.filter((u) => u.patch.state === 'previous').map((u) => u.kid),
            retired: plan.updates.filter((u) => u.patch.state === 'retired').map((u) => u.kid),
            generated: kids,
            revoked,
            logoutsSent: 0,
            logoutsFailed: 0,
          };
          const actor = opts.actor;
          for (const rec of plan.inserts) {
            await deps.audit?.record(
              { event: 'key_generated', actor, details: { kid: rec.kid, alg, state: rec.state } },
              trx,
            );
          }
          for (const u of plan.updates.filter((x) => x.patch.state === 'retired')) {
            await deps.audit?.record(
              {
                event: 'key_retired',
                actor,
                details: { kid: u.kid, alg, from: u.from, reason: 'emergency_rotation' },
              },
              trx,
            );
          }
          await deps.audit?.record(
            {
              event: 'key_rotated',
              actor,
              details: {
                alg,
                immediate,
                current: result.current,
                next: result.next,
                previous: result.previous,
                retired: result.retired,
                revoked: opts.revoke === true,
                revokedRows: revoked,
              },
            },
            trx,
          );
          await repo.announceChange(trx);
          return result;
        });
        // Relying parties hear of ended sessions only once they are ended; a failure here undoes nothing.
        const told = await afterCommit?.().catch(() => ({ notified: 0, failed: 0 }));
        return { ...result, logoutsSent: told?.notified ?? 0, logoutsFailed: told?.failed ?? 0 };
      } catch (err) {
        for (const kid of kids) removeQuietly(kid);
        throw err;
      }
    },

    /** Takes a next or previous key out of the JWKS now; refuses the signing key. */
    async retire(kid: string, opts: { deleteFile?: boolean; actor: string }): Promise<RetireResult> {
      const keys = await repo.list();
      const key = keys.find((k) => k.kid === kid);
      if (!key) throw new KeyRefused('key_not_found', `there is no signing key ${kid}`);
      if (key.state === 'current') {
        throw new KeyRefused(
          'key_is_current',
          `${kid} is signing now: run "keys rotate" first (or "keys rotate --now" if it is compromised)`,
        );
      }
      assertReadable(publishedAfter(keys, [{ kid, from: key.state, patch: { state: 'retired' } }]));
      const from = await deps.db.transaction(async (trx) => {
        const fresh = (await repo.listForUpdate(trx)).find((k) => k.kid === kid);
        if (!fresh) throw new KeyRefused('key_not_found', `there is no signing key ${kid}`);
        if (fresh.state === 'current')
          throw new KeyRefused('key_is_current', `${kid} became the signing key meanwhile`);
        if (fresh.state !== 'retired')
          await repo.update(kid, { state: 'retired', retiredAt: deps.clock.now() }, trx);
        await deps.audit?.record(
          {
            event: 'key_retired',
            actor: opts.actor,
            details: { kid, alg: fresh.alg, from: fresh.state, fileDeleted: opts.deleteFile === true },
          },
          trx,
        );
        await repo.announceChange(trx);
        return fresh.state;
      });
      // The row no longer publishes the key, so its file can go.
      if (opts.deleteFile) files.remove(kid);
      return { kid, from, alreadyRetired: from === 'retired', fileDeleted: opts.deleteFile === true };
    },

    /** Retires the previous keys whose retire-after has passed. */
    async prune(opts: { deleteFiles?: boolean; actor: string }): Promise<SigningKeyRecord[]> {
      const keys = await repo.list();
      const due = duePrevious(keys, deps.clock.now());
      if (due.length === 0) return [];
      const updates = due.map((k) => ({ kid: k.kid, from: k.state, patch: { state: 'retired' as const } }));
      assertReadable(publishedAfter(keys, updates));
      const pruned = await deps.db.transaction(async (trx) => {
        const now = deps.clock.now();
        const stillDue = duePrevious(await repo.listForUpdate(trx), now);
        for (const k of stillDue) {
          await repo.update(k.kid, { state: 'retired', retiredAt: now }, trx);
          await deps.audit?.record(
            {
              event: 'key_pruned',
              actor: opts.actor,
              details: {
                kid: k.kid,
                alg: k.alg,
                retireAfter: k.retireAfter,
                fileDeleted: opts.deleteFiles === true,
              },
            },
            trx,
          );
        }
        if (stillDue.length > 0) await repo.announceChange(trx);
        return stillDue.map((k) => ({ ...k, state: 'retired' as const, retiredAt: now }));
      });
      if (opts.deleteFiles) for (const k of pruned) files.remove(k.kid);
      return pruned;
    },

    /** The private JWKS for oidc-provider: every published key, current ones first. */
    async loadJwks(): Promise<{ keys: JWK[] }> {
      const keys = (await repo.list())
        .filter((k) => k.state !== 'retired')
        .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.createdAt - a.createdAt);
      return {
        keys: keys.map((k) => {
          const jwk = files.read(k.kid);
          if (k.state === 'current') return { ...jwk, kid: k.kid };
          // RFC 7517 §4.3: key_ops alone, not beside use.
          const { use: _use, ...rest } = jwk;
          return { ...rest, kid: k.kid, key_ops: ['verify'] };
        }),
      };
    },

    version: () => repo.version(),
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
