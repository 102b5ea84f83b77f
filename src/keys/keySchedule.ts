import type { SigningAlg, SigningKeyRecord } from './keysRepo.js';

/** How long before its turn a next key is published at the latest: longer than relying parties cache a JWKS. */
export const PUBLISH_AHEAD_MS = 24 * 60 * 60 * 1000;

/**
 * A step of the key schedule: `publish` a next key for `alg` (none is published yet), `rotate` (the next key
 * `kid` starts signing), or `retire` the previous key `kid` (what it signed has expired).
 */
export interface ScheduledStep {
  step: 'publish' | 'rotate' | 'retire';
  alg: SigningAlg;
  kid?: string;
  /** epoch ms from which the step is due */
  at: number;
}

/**
 * The coming steps of the key schedule, soonest first, without I/O. With automatic rotation (`everyMs` > 0)
 * each algorithm's current key signs for `everyMs`; its successor is published PUBLISH_AHEAD_MS (or
 * `minPublishMs`, if longer) before, and never signs before it has been published for `minPublishMs`.
 * Previous keys are retired when their retire-after has passed, with or without automatic rotation.
 */
export function scheduledKeySteps(opts: {
  keys: readonly SigningKeyRecord[];
  everyMs: number;
  minPublishMs: number;
}): ScheduledStep[] {
  const steps: ScheduledStep[] = [];
  for (const k of opts.keys) {
    if (k.state === 'previous' && k.retireAfter !== null) {
      steps.push({ step: 'retire', alg: k.alg, kid: k.kid, at: k.retireAfter });
    }
  }
  if (opts.everyMs > 0) {
    const algs = [...new Set(opts.keys.filter((k) => k.state === 'current').map((k) => k.alg))];
    for (const alg of algs) {
      const mine = opts.keys.filter((k) => k.alg === alg);
      const since = Math.max(
        ...mine.filter((k) => k.state === 'current').map((k) => k.activatedAt ?? k.createdAt),
      );
      const dueAt = since + opts.everyMs;
      const next = mine.filter((k) => k.state === 'next').sort((a, b) => a.createdAt - b.createdAt)[0];
      if (next) {
        steps.push({
          step: 'rotate',
          alg,
          kid: next.kid,
          at: Math.max(dueAt, next.createdAt + opts.minPublishMs),
        });
      } else {
        const ahead = Math.max(PUBLISH_AHEAD_MS, opts.minPublishMs);
        steps.push({ step: 'publish', alg, at: Math.max(since, dueAt - ahead) });
      }
    }
  }
  return steps.sort((a, b) => a.at - b.at || a.alg.localeCompare(b.alg));
}

/** The steps due at `now`. */
export function dueKeySteps(steps: readonly ScheduledStep[], now: number): ScheduledStep[] {
  return steps.filter((s) => s.at <= now);
}
