import { HawiyaError } from '../../shared/errors.js';

/** A backup or restore that cannot be done as asked: the sentence names the problem and what to do. */
export class BackupRefused extends HawiyaError {
  constructor(sentence: string) {
    super('backup_refused', 400, { sentence });
    this.message = sentence;
  }
}
