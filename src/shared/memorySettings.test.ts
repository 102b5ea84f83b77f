import { describe, expect, it } from 'vitest';
import { mallocEnvFor, SERVER_MALLOC_ENV, SERVER_NODE_FLAGS, withServerFlags } from './memorySettings.js';

describe('memory settings of a serving process', () => {
  it('adds the Node flags to a worker, keeping the loader flags it was started with', () => {
    const argv = withServerFlags(['--import', 'tsx']);
    expect(argv.slice(0, 2)).toEqual(['--import', 'tsx']);
    for (const flag of SERVER_NODE_FLAGS) expect(argv).toContain(flag);
  });

  it("keeps the operator's own choice, given on the command line or in NODE_OPTIONS", () => {
    expect(withServerFlags(['--max-semi-space-size=16'])).toEqual(['--max-semi-space-size=16']);
    expect(withServerFlags([], '--max-semi-space-size=32 --enable-source-maps')).toEqual([]);
  });

  it('gives the malloc settings the operator did not set', () => {
    expect(mallocEnvFor({})).toEqual(SERVER_MALLOC_ENV);
    const env = mallocEnvFor({ MALLOC_ARENA_MAX: '4' });
    expect(env.MALLOC_ARENA_MAX).toBeUndefined();
    expect(Object.keys(env).length).toBe(Object.keys(SERVER_MALLOC_ENV).length - 1);
  });
});
