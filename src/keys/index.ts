export { createKeyFiles, type KeyFiles, KeyUnreadable } from './keyFiles.js';
export {
  duePrevious,
  type KeyPlan,
  keysNeeded,
  LONGEST_SIGNED_TOKEN_MS,
  PREVIOUS_KEY_GRACE_MS,
  planRotation,
  publishedAfter,
} from './keyLifecycle.js';
export { KeyRefused } from './keyRefused.js';
export { dueKeySteps, PUBLISH_AHEAD_MS, type ScheduledStep, scheduledKeySteps } from './keySchedule.js';
export {
  createKeyScheduler,
  KEY_SCHEDULE_ACTOR,
  type KeyScheduler,
} from './keyScheduler.js';
export { createKeyStore, type KeyStore, type RetireResult, type RotationResult } from './keyStore.js';
export {
  KEY_CHANGES_CHANNEL,
  type KeyState,
  SIGNING_ALGS,
  type SigningAlg,
  type SigningKeyRecord,
} from './keysRepo.js';
export { createScheduleLeasesRepo } from './scheduleLeasesRepo.js';
