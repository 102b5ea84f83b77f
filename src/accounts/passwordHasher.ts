// Password storage: argon2id with a random salt per hash (checklist 6). The PHC string carries its own
// parameters, so old hashes keep verifying after a config change and needsRehash() tells when to upgrade.
import { randomBytes } from 'node:crypto';
import { argon2id, type HashOptions, hash, needsRehash, verify } from 'argon2';

/** Same shape as config.argon2: memory in KiB, iterations, lanes. */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface PasswordHasher {
  /** argon2id, random salt; input NFKC-normalised first */
  hash(password: string): Promise<string>;
  /** NFKC-normalised; never throws on a malformed hash (false) */
  verify(hash: string, password: string): Promise<boolean>;
  /** true when the stored hash is not argon2id with the current parameters */
  needsRehash(hash: string): boolean;
  /** verify against a fixed dummy hash, so unknown users take as long as known ones (no enumeration by timing) */
  burn(password: string): Promise<void>;
}

const ARGON2_VERSION = 0x13;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

// NFKC only: no trimming, case folding or truncation, so every code point the user typed counts (checklist 2, 3).
function normalize(password: string): string {
  return password.normalize('NFKC');
}

// PHC base64 is standard base64 without padding.
function phcB64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

// A well-formed hash (parameters in argon2's own order) with the current parameters that no password matches: verifying against it costs
// exactly one argon2 run, the same as verifying a real user's hash, without spending one at startup.
function dummyHash(params: Argon2Params): string {
  const { memoryCost: m, timeCost: t, parallelism: p } = params;
  return `$argon2id$v=${ARGON2_VERSION}$m=${m},p=${p},t=${t}$${phcB64(randomBytes(SALT_BYTES))}$${phcB64(randomBytes(HASH_BYTES))}`;
}

export function createPasswordHasher(params: Argon2Params): PasswordHasher {
  const options: HashOptions = {
    type: argon2id,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
    hashLength: HASH_BYTES,
  };
  const dummy = dummyHash(params);

  async function safeVerify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, normalize(password));
    } catch {
      // malformed or truncated hash in storage: a failed login, not a 500
      return false;
    }
  }

  return {
    async hash(password) {
      return hash(normalize(password), options);
    },

    verify: safeVerify,

    needsRehash(stored) {
      // argon2.needsRehash ignores the variant, so an argon2i/argon2d hash is upgraded here too
      if (!stored.startsWith('$argon2id$')) return true;
      try {
        return needsRehash(stored, { ...params, version: ARGON2_VERSION });
      } catch {
        return true;
      }
    },

    async burn(password) {
      await safeVerify(dummy, password);
    },
  };
}
