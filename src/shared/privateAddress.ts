import { isIPv4, isIPv6 } from 'node:net';

/**
 * True for an address only this machine or a private network reaches: loopback (127.0.0.0/8, ::1,
 * `localhost`), RFC 1918 (10/8, 172.16/12, 192.168/16), link-local, IPv6 unique-local (fc00::/7).
 * A wildcard (0.0.0.0, ::) and any host name but `localhost` count as public: they may be reachable.
 */
export function privateAddress(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIPv4(host)) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  const v6 = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (!isIPv6(v6)) return false;
  if (v6 === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped?.[1]) return privateAddress(mapped[1]);
  return /^f[cd][0-9a-f]{0,2}:/.test(v6) || /^fe[89ab][0-9a-f]?:/.test(v6);
}
