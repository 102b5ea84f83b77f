import { describe, expect, it } from 'vitest';
import type { PayloadRow } from './readAlong.js';
import { createReadAlong } from './readAlong.js';

// A grant read along with its token is used by the request that read it, once, and by no other request.
describe('grants read along with their token', () => {
  const row = { payload: '{"accountId":"a"}', expires_at: null, consumed_at: null };

  it('is taken once by the request that read it; a second find reads the database again', () => {
    const request = {};
    const along = createReadAlong<PayloadRow>(() => request);
    along.keep('g1', row);
    expect(along.take('g1')).toEqual(row);
    expect(along.take('g1')).toBeUndefined();
  });

  it('tells a grant that does not exist (revoked) apart from one not read along', () => {
    const request = {};
    const along = createReadAlong<PayloadRow>(() => request);
    along.keep('gone', null);
    expect(along.take('gone')).toBeNull();
    expect(along.take('never-read')).toBeUndefined();
  });

  it('is never seen by another request, nor kept outside a request', () => {
    let current: object | undefined = { name: 'first' };
    const along = createReadAlong<PayloadRow>(() => current);
    along.keep('g1', row);
    current = { name: 'second' };
    expect(along.take('g1')).toBeUndefined();
    current = undefined;
    along.keep('g2', row);
    expect(along.take('g2')).toBeUndefined();
  });
});
