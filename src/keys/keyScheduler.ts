import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { dueKeySteps, type ScheduledStep, scheduledKeySteps } from './keySchedule.js';
import type { KeyStore } from './keyStore.js';
import type { ScheduleLeasesRepo } from './scheduleLeasesRepo.js';

export const KEY_SCHEDULE_LEASE = 'key_schedule';
/** Who the audit trail names for scheduled key operations. */
export const KEY_SCHEDULE_ACTOR = 'system:key-schedule';
// Long enough for any key generation; a node that dies holding the lease delays the schedule this long.
const LEASE_MS = 5 * 60 * 1000;

/**
 * Runs the key schedule on every node: a tick does the due steps (see scheduledKeySteps) through the same
 * key store operations as the CLI (`rotate` also publishes a next key where none is, `prune` retires), each
 * audited. Only the node holding the lease acts, and it decides from the key states it reads after taking
 * the lease, so a step another node has just done is not done again.
 */
export function createKeyScheduler(deps: {
  keyStore: KeyStore;
  leases: ScheduleLeasesRepo;
  clock: Clock;
  /** automatic rotation period, ms (0: only retire previous keys when due) */
  everyMs: number;
  minPublishMs: number;
  /** this node, in the lease row */
  holder: string;
  logger?: Logger;
}) {
  const stepsFor = async () =>
    scheduledKeySteps({
      keys: await deps.keyStore.repo.list(),
      everyMs: deps.everyMs,
      minPublishMs: deps.minPublishMs,
    });

  return {
    /** the coming steps, soonest first */
    upcoming: stepsFor,

    /** Does the steps due now, if this node gets the lease; returns the steps done. */
    async tick(): Promise<ScheduledStep[]> {
      if (dueKeySteps(await stepsFor(), deps.clock.now()).length === 0) return [];
      const lease = { name: KEY_SCHEDULE_LEASE, holder: deps.holder };
      if (!(await deps.leases.acquire({ ...lease, now: deps.clock.now(), ttlMs: LEASE_MS }))) return [];
      const done: ScheduledStep[] = [];
      try {
        const due = dueKeySteps(await stepsFor(), deps.clock.now());
        const attempt = async (steps: ScheduledStep[], run: () => Promise<unknown>) => {
          try {
            await run();
            done.push(...steps);
            deps.logger?.info({ steps }, 'scheduled key step done');
          } catch (err) {
            deps.logger?.error({ err, steps }, 'scheduled key step failed');
          }
        };
        for (const step of due.filter((s) => s.step !== 'retire')) {
          // With no next key a rotation only publishes one; with one, the next key starts signing.
          await attempt([step], () => deps.keyStore.rotate({ alg: step.alg, actor: KEY_SCHEDULE_ACTOR }));
        }
        // One prune retires every previous key that is due.
        const retire = due.filter((s) => s.step === 'retire');
        if (retire.length > 0)
          await attempt(retire, () => deps.keyStore.prune({ actor: KEY_SCHEDULE_ACTOR }));
      } finally {
        await deps.leases.release(lease);
      }
      return done;
    },
  };
}

export type KeyScheduler = ReturnType<typeof createKeyScheduler>;
