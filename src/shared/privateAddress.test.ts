import { describe, expect, it } from 'vitest';
import { privateAddress } from './privateAddress.js';

describe('privateAddress', () => {
  it('loopback, RFC 1918, link-local and unique-local addresses are private', () => {
    for (const host of ['127.0.0.1', '127.8.0.1', 'localhost', '10.0.0.1', '172.16.0.1', '172.31.255.255']) {
      expect(privateAddress(host), host).toBe(true);
    }
    for (const host of [
      '192.168.1.1',
      '169.254.0.1',
      '::1',
      '[::1]',
      'fd12:3456::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(privateAddress(host), host).toBe(true);
    }
  });

  it('wildcards, public addresses and host names are not', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '172.32.0.1',
      '8.8.8.8',
      '2001:db8::1',
      '::ffff:8.8.8.8',
      'metrics.example.gov',
    ]) {
      expect(privateAddress(host), host).toBe(false);
    }
  });
});
