// A limit, not the system: a bare Koa server answering one JSON document (the system's discovery document,
// given in BENCH_DOCUMENT) with Koa's defaults: what Node and Koa cost before any application code.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';

const body = JSON.parse(process.env.BENCH_DOCUMENT ?? '{"status":"ok"}') as unknown;
const app = new Koa();
app.use(async (ctx) => {
  ctx.body = body;
});
const server = createServer(app.callback());
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
// exit cleanly on the bench's SIGTERM, so a --cpu-prof profile is written
process.once('SIGTERM', () => process.exit(0));
