import type { AdapterPayload } from 'oidc-provider';
import { describe, expect, it } from 'vitest';
import { cachedClients } from './cachedClients.js';

describe('cachedClients', () => {
  function setup() {
    const stored = new Map<string, AdapterPayload>([['rp', { client_id: 'rp', client_secret: 'a' }]]);
    let reads = 0;
    let stamp: string | undefined = 's1';
    const find = cachedClients(
      async (id) => {
        reads++;
        return stored.get(id);
      },
      { stamp: async () => stamp, close: async () => undefined },
    );
    return {
      find,
      stored,
      reads: () => reads,
      setStamp: (s: string | undefined) => {
        stamp = s;
      },
    };
  }

  it('reads a client once while the stamp stays the same', async () => {
    const c = setup();
    expect(await c.find('rp')).toMatchObject({ client_secret: 'a' });
    expect(await c.find('rp')).toMatchObject({ client_secret: 'a' });
    expect(c.reads()).toBe(1);
  });

  it('reads again, and answers the change, once the stamp changes', async () => {
    const c = setup();
    await c.find('rp');
    c.stored.set('rp', { client_id: 'rp', client_secret: 'b' });
    c.setStamp('s2');
    expect(await c.find('rp')).toMatchObject({ client_secret: 'b' });
    c.stored.delete('rp');
    c.setStamp('s3');
    expect(await c.find('rp')).toBeUndefined();
  });

  it('keeps nothing while freshness cannot tell (no stamp): every lookup reads', async () => {
    const c = setup();
    c.setStamp(undefined);
    await c.find('rp');
    await c.find('rp');
    expect(c.reads()).toBe(2);
  });

  it('never keeps an unknown client id', async () => {
    const c = setup();
    expect(await c.find('nobody')).toBeUndefined();
    c.stored.set('nobody', { client_id: 'nobody' });
    expect(await c.find('nobody')).toMatchObject({ client_id: 'nobody' });
  });

  it('a change committed while a client was being read is not hidden: the next lookup reads again', async () => {
    let stamp = 's1';
    let reads = 0;
    const find = cachedClients(
      async () => {
        reads++;
        stamp = `s${reads + 1}`; // a client changed meanwhile
        return { client_id: 'rp' };
      },
      { stamp: async () => stamp, close: async () => undefined },
    );
    await find('rp');
    await find('rp');
    expect(reads).toBe(2);
  });

  it('without freshness, reads every time', async () => {
    let reads = 0;
    const find = cachedClients(async () => {
      reads++;
      return { client_id: 'rp' };
    }, undefined);
    await find('rp');
    await find('rp');
    expect(reads).toBe(2);
  });
});
