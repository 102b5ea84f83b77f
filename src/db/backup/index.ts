export { backupDatabase } from './backupDatabase.js';
export { BackupRefused } from './backupErrors.js';
export type { BackupManifest } from './manifest.js';
export { type RestoreResult, restoreDatabase } from './restoreDatabase.js';
