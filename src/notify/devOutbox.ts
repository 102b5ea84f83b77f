import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

export interface OutboxMessage {
  id: string;
  /** epoch milliseconds */
  at: number;
  channel: 'sms' | 'email';
  to: string;
  subject?: string;
  text: string;
}

export interface DevOutbox {
  write(m: Omit<OutboxMessage, 'id' | 'at'>): Promise<OutboxMessage>;
  /** newest first (50) */
  list(limit?: number): Promise<OutboxMessage[]>;
}

const FILE = /^(\d+)-([0-9a-f]+)\.json$/;

/**
 * Development stand-in for the SMS gateway and SMTP: each message becomes `<at>-<id>.json` in `dir`
 * and one log line, so a developer (or a journey test) can read the code. Never used in production.
 */
export function createDevOutbox(deps: { dir: string; logger: Logger; clock?: Clock }): DevOutbox {
  const clock = deps.clock ?? systemClock;
  // Ids start with a counter so messages written in the same millisecond still list in order;
  // the random tail keeps two processes sharing the folder from colliding.
  let seq = 0;
  let ready: Promise<unknown> | undefined;

  return {
    async write(m) {
      ready ??= mkdir(deps.dir, { recursive: true, mode: 0o700 });
      await ready;
      seq += 1;
      const msg: OutboxMessage = {
        id: `${seq.toString(16).padStart(8, '0')}${randomBytes(4).toString('hex')}`,
        at: clock.now(),
        channel: m.channel,
        to: m.to,
        ...(m.subject === undefined ? {} : { subject: m.subject }),
        text: m.text,
      };
      await writeFile(join(deps.dir, `${msg.at}-${msg.id}.json`), `${JSON.stringify(msg, null, 2)}\n`, {
        mode: 0o600,
        flag: 'wx',
      });
      // Development only: the text is meant to be seen here, so it sits under a key the redaction list skips.
      deps.logger.info(
        { channel: msg.channel, to: msg.to, subject: msg.subject, devOutboxText: msg.text },
        'dev outbox message',
      );
      return msg;
    },

    async list(limit = 50) {
      let names: string[];
      try {
        names = await readdir(deps.dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const files = names
        .map((name) => ({ name, m: FILE.exec(name) }))
        .filter((f): f is { name: string; m: RegExpExecArray } => f.m !== null)
        .sort(
          (a, b) => Number(b.m[1]) - Number(a.m[1]) || (a.m[2]! < b.m[2]! ? 1 : a.m[2]! > b.m[2]! ? -1 : 0),
        )
        .slice(0, Math.max(0, limit));
      return Promise.all(
        files.map(async (f) => JSON.parse(await readFile(join(deps.dir, f.name), 'utf8')) as OutboxMessage),
      );
    },
  };
}
