import type { KoaContextWithOIDC } from 'oidc-provider';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../test/helpers/memoryLogger.js';
import { fakeClock } from '../shared/clock.js';
import type { DisclosuresRepo } from './disclosuresRepo.js';
import { recordDisclosures } from './recordDisclosures.js';

// The answer of a token request whose tokens were held (see holdingWrites) and could not be stored.
describe('recordDisclosures: a token answer whose tokens cannot be stored', () => {
  const tokenAnswer = () => {
    const headers: Record<string, string> = {};
    return {
      method: 'POST',
      status: 200,
      body: { access_token: 'a', refresh_token: 'r', token_type: 'Bearer' } as unknown,
      oidc: { route: 'token', entities: {} },
      headers,
      set(name: string, value: string) {
        headers[name] = value;
      },
    };
  };
  const repo = { insertWithAnswer: async () => undefined } as unknown as DisclosuresRepo;
  const middleware = (holdWrites: (body: () => Promise<unknown>) => Promise<unknown>, lines: string[]) =>
    recordDisclosures({
      repo,
      holdWrites: holdWrites as never,
      clock: fakeClock(),
      logger: memoryLogger(lines),
    });

  it('answers server_error and never the tokens, and logs why', async () => {
    const lines: string[] = [];
    const ctx = tokenAnswer();
    const failing = async (body: () => Promise<unknown>) => {
      await body();
      throw new Error('disk I/O error');
    };
    await middleware(failing, lines)(ctx as unknown as KoaContextWithOIDC, async () => undefined);
    expect(ctx.status).toBe(500);
    expect(ctx.body).toEqual({ error: 'server_error', error_description: 'oops! something went wrong' });
    expect(lines.join('\n')).toContain('the tokens of an answer could not be stored');
  });

  it('answers 503 with Retry-After when the database is unavailable', async () => {
    const ctx = tokenAnswer();
    const busy = async (body: () => Promise<unknown>) => {
      await body();
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    };
    await middleware(busy, [])(ctx as unknown as KoaContextWithOIDC, async () => undefined);
    expect(ctx.status).toBe(503);
    expect((ctx.body as { error: string }).error).toBe('server_error');
    expect(ctx.headers['Retry-After']).toBe('5');
  });

  it('an error from the provider itself passes through unchanged', async () => {
    const ctx = tokenAnswer();
    const passing = async (body: () => Promise<unknown>) => body();
    const boom = new Error('provider failure');
    await expect(
      middleware(passing, [])(ctx as unknown as KoaContextWithOIDC, async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});
