import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// Outgoing connections (database pools, fetch) take their local port from the kernel's ephemeral range, so
// a port picked there can be taken by one of them between the pick and the server's listen (EADDRINUSE,
// seen in a full run). Ports are picked below that range, where only listening servers can hold them.
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 11_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}
const LOWEST = 10_000;
const BELOW = ephemeralLow();

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A port free on 127.0.0.1 right now (for servers whose URL must be known before they start). */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = LOWEST + Math.floor(Math.random() * (BELOW - LOWEST));
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free port found between ${LOWEST} and ${BELOW}`);
}
