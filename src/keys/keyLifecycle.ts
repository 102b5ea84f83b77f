import type { KeyState, SigningAlg, SigningKeyRecord } from './keysRepo.js';

// The longest lifetime of anything Hawiya signs: ID tokens live 1 hour, JWT access tokens 10 minutes.
// Refresh tokens (30 days) are opaque, so they do not need the key. 15 minutes cover clock skew and
// relying parties that check an ID token a little after receiving it.
export const LONGEST_SIGNED_TOKEN_MS = 60 * 60 * 1000;
export const PREVIOUS_KEY_MARGIN_MS = 15 * 60 * 1000;
/** How long a previous key stays published after it stops signing (75 minutes). */
export const PREVIOUS_KEY_GRACE_MS = LONGEST_SIGNED_TOKEN_MS + PREVIOUS_KEY_MARGIN_MS;

export type KeyPatch = Partial<Pick<SigningKeyRecord, 'state' | 'activatedAt' | 'retireAfter' | 'retiredAt'>>;

export interface KeyPlan {
  /** changes to existing keys */
  updates: { kid: string; from: KeyState; patch: KeyPatch }[];
  /** the new keys, in the order of the kids given */
  inserts: SigningKeyRecord[];
  /** the key that signs afterwards, and the one (if any) that signed before */
  current: string;
  oldCurrent: SigningKeyRecord | undefined;
  next: string;
}

/**
 * How many new keys a rotation of `alg` needs. A normal rotation promotes the published `next` key and adds
 * a new `next` (1); with no `next` to promote, or in an emergency, the new current key is fresh too (2).
 */
export function keysNeeded(opts: {
  keys: readonly SigningKeyRecord[];
  alg: SigningAlg;
  immediate: boolean;
}): number {
  if (opts.immediate) return 2;
  const mine = opts.keys.filter((k) => k.alg === opts.alg);
  // Nothing signs with this algorithm yet: a fresh current and a next. Otherwise one key: the new next.
  return mine.some((k) => k.state === 'current') ? 1 : 2;
}

/**
 * A rotation of one algorithm, without I/O.
 * Normal: next → current, current → previous (published for PREVIOUS_KEY_GRACE_MS more), new → next.
 * Immediate (`--now`, a compromised key): a fresh key becomes current, the old current and the old next
 * (kept in the same place, so no more trusted) are retired at once, and a fresh next is published.
 */
export function planRotation(opts: {
  keys: readonly SigningKeyRecord[];
  alg: SigningAlg;
  immediate: boolean;
  now: number;
  newKids: readonly string[];
}): KeyPlan {
  const { alg, now } = opts;
  const mine = opts.keys.filter((k) => k.alg === alg);
  const currents = mine.filter((k) => k.state === 'current');
  const nexts = mine.filter((k) => k.state === 'next').sort((a, b) => a.createdAt - b.createdAt);
  const needed = keysNeeded(opts);
  if (opts.newKids.length !== needed) {
    throw new Error(`planRotation: ${needed} new key ids needed, ${opts.newKids.length} given`);
  }
  const fresh = (kid: string, state: KeyState): SigningKeyRecord => ({
    kid,
    alg,
    state,
    createdAt: now,
    activatedAt: state === 'current' ? now : null,
    retireAfter: null,
    retiredAt: null,
  });
  const updates: KeyPlan['updates'] = [];
  const retire = (k: SigningKeyRecord) =>
    updates.push({ kid: k.kid, from: k.state, patch: { state: 'retired', retiredAt: now } });
  const newest = [...currents].sort(
    (a, b) => (b.activatedAt ?? b.createdAt) - (a.activatedAt ?? a.createdAt),
  )[0];

  if (opts.immediate) {
    const [currentKid, nextKid] = opts.newKids as [string, string];
    for (const k of [...currents, ...nexts]) retire(k);
    return {
      updates,
      inserts: [fresh(currentKid, 'current'), fresh(nextKid, 'next')],
      current: currentKid,
      oldCurrent: newest,
      next: nextKid,
    };
  }

  for (const k of currents) {
    updates.push({
      kid: k.kid,
      from: 'current',
      patch: { state: 'previous', retireAfter: now + PREVIOUS_KEY_GRACE_MS },
    });
  }
  const promoted = nexts[0];
  if (promoted) {
    // Only the oldest next is promoted; any other stays published as next.
    updates.push({ kid: promoted.kid, from: 'next', patch: { state: 'current', activatedAt: now } });
    const [nextKid] = opts.newKids as [string];
    return {
      updates,
      inserts: [fresh(nextKid, 'next')],
      current: promoted.kid,
      oldCurrent: newest,
      next: nextKid,
    };
  }
  if (newest) {
    // Nothing pre-published: publish a next only. A key never signs before every node and relying party
    // could have fetched it; the following rotation promotes it.
    updates.length = 0;
    const [nextKid] = opts.newKids as [string];
    return {
      updates,
      inserts: [fresh(nextKid, 'next')],
      current: newest.kid,
      oldCurrent: undefined,
      next: nextKid,
    };
  }
  // The algorithm had no key at all: nothing was signed with it, so the new key may sign at once.
  const [currentKid, nextKid] = opts.newKids as [string, string];
  return {
    updates,
    inserts: [fresh(currentKid, 'current'), fresh(nextKid, 'next')],
    current: currentKid,
    oldCurrent: newest,
    next: nextKid,
  };
}

/** The keys that stay published (and so must be readable) once `updates` are applied. */
export function publishedAfter(
  keys: readonly SigningKeyRecord[],
  updates: KeyPlan['updates'],
): SigningKeyRecord[] {
  const changed = new Map(updates.map((u) => [u.kid, u.patch.state]));
  return keys.filter((k) => (changed.get(k.kid) ?? k.state) !== 'retired');
}

/** Previous keys whose grace period is over at `now`. */
export function duePrevious(keys: readonly SigningKeyRecord[], now: number): SigningKeyRecord[] {
  return keys.filter((k) => k.state === 'previous' && k.retireAfter !== null && k.retireAfter <= now);
}
