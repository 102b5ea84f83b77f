import { HawiyaError } from '../shared/errors.js';

/** A key operation that would be unsafe or makes no sense (retiring the signing key, an unknown kid). */
export class KeyRefused extends HawiyaError {
  constructor(code: string, message: string) {
    super(code, 409);
    this.message = message;
  }
}
