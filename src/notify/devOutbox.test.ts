import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClock } from '../shared/clock.js';
import { createLogger } from '../shared/logger.js';
import { createDevOutbox } from './devOutbox.js';

const logger = createLogger({ level: 'silent' });

describe('createDevOutbox', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'hawiya-outbox-'));
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('creates the folder and writes <at>-<id>.json readable by the owner only', async () => {
    const dir = join(tmp, 'nested', 'outbox');
    const clock = fakeClock(1_700_000_000_000);
    const outbox = createDevOutbox({ dir, logger, clock });
    const msg = await outbox.write({ channel: 'sms', to: '0551234512', text: 'رمز التحقق 123456' });

    expect(msg.at).toBe(1_700_000_000_000);
    expect(msg.id).toMatch(/^[0-9a-f]+$/);
    const files = readdirSync(dir);
    expect(files).toEqual([`${msg.at}-${msg.id}.json`]);
    const path = join(dir, files[0]!);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      id: msg.id,
      at: msg.at,
      channel: 'sms',
      to: '0551234512',
      text: 'رمز التحقق 123456',
    });
  });

  it('lists the newest messages first, honouring the limit', async () => {
    const clock = fakeClock(1_000);
    const outbox = createDevOutbox({ dir: tmp, logger, clock });
    await outbox.write({ channel: 'sms', to: '0551111111', text: 'first' });
    clock.advance(9_000); // 10000: more digits than 1000, so a plain name sort would misorder
    await outbox.write({ channel: 'email', to: 'a@example.sa', subject: 'تفعيل', text: 'second' });
    await outbox.write({ channel: 'sms', to: '0552222222', text: 'third, same millisecond' });

    const all = await outbox.list();
    expect(all.map((m) => m.text)).toEqual(['third, same millisecond', 'second', 'first']);
    expect(all[1]).toMatchObject({ channel: 'email', to: 'a@example.sa', subject: 'تفعيل', at: 10_000 });
    expect((await outbox.list(2)).map((m) => m.text)).toEqual(['third, same millisecond', 'second']);
  });

  it('lists nothing when the folder does not exist yet', async () => {
    const outbox = createDevOutbox({ dir: join(tmp, 'missing'), logger });
    expect(await outbox.list()).toEqual([]);
  });

  it('logs channel, recipient and the text under devOutboxText', async () => {
    const lines: string[] = [];
    const capture = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    await createDevOutbox({ dir: tmp, logger: capture }).write({
      channel: 'sms',
      to: '0551234512',
      text: 'code 654321',
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 30,
      channel: 'sms',
      to: '0551234512',
      devOutboxText: 'code 654321',
    });
  });
});
