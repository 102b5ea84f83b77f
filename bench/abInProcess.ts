// Two checkouts of Hawiya compared in one process: each builds its IdP in-process (its own test helpers, a
// person logged in through the real flow), then batches of the same request go to each in turn and the
// process's CPU time per request is taken for every batch. Interleaving in one process cancels what makes
// separate bench runs on a shared VM differ by a third (its speed drifts with its neighbours); what is
// left out is Node's HTTP and the socket, which both pay alike. Usage (each directory a checkout with
// node_modules; for example `git worktree add ../base HEAD~1` and a symlink to this node_modules):
//   npx tsx bench/abInProcess.ts DIR_A DIR_B [--scenario userinfo|introspection] [--rounds 12] [--batch 2000]
import { parseArgs } from 'node:util';
import inject from 'light-my-request';
import pino from 'pino';

type Listener = Parameters<typeof inject>[0];
interface Variant {
  dir: string;
  listener: Listener;
  accessToken: string;
  clientAuth: string;
  close(): Promise<void>;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scenario: { type: 'string', default: 'userinfo' },
    rounds: { type: 'string', default: '12' },
    batch: { type: 'string', default: '2000' },
  },
});
if (positionals.length < 2) throw new Error('usage: abInProcess.ts DIR_A DIR_B [--scenario …]');
const scenario = values.scenario;
if (scenario !== 'userinfo' && scenario !== 'introspection')
  throw new Error(`unknown scenario ${scenario}: userinfo or introspection`);
const rounds = Number(values.rounds);
const batch = Number(values.batch);
const CONNECTIONS = 8;

async function build(dir: string): Promise<Variant> {
  const helpers = await import(`${dir}/test/helpers/oidcLogin.ts`);
  const { createLogger } = await import(`${dir}/src/shared/logger.ts`);
  // production's log level and background writing, to nowhere
  const logger = createLogger({
    level: 'info',
    stream: pino.destination({ dest: '/dev/null', sync: false }),
  });
  const { t, config, person } = await helpers.idpWithPerson({ idp: { inProcess: true, logger } });
  const login = await helpers.startLogin(t, config, { scope: 'openid profile' });
  const tokens = await helpers.exchange(config, login, await helpers.completeLogin(t, login, person));
  const { client_id, client_secret } = helpers.TEST_CLIENT as { client_id: string; client_secret: string };
  return {
    dir,
    // older checkouts hand requests to the page app's callback
    listener: t.idp.listener ?? t.idp.app.callback(),
    accessToken: String(tokens.access_token),
    clientAuth: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
    close: () => t.close(),
  };
}

async function request(v: Variant): Promise<void> {
  const res =
    scenario === 'userinfo'
      ? await inject(v.listener, {
          method: 'GET',
          url: '/me',
          headers: { host: 'idp.test', authorization: `Bearer ${v.accessToken}` },
        })
      : await inject(v.listener, {
          method: 'POST',
          url: '/token/introspection',
          headers: {
            host: 'idp.test',
            authorization: v.clientAuth,
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: `token=${v.accessToken}`,
        });
  if (res.statusCode !== 200) throw new Error(`${v.dir}: ${res.statusCode} ${res.body}`);
}

async function run(v: Variant, n: number): Promise<void> {
  let sent = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (sent++ < n) await request(v);
    }),
  );
}

const variants: Variant[] = [];
for (const dir of positionals) variants.push(await build(dir));
for (const v of variants) await run(v, batch); // warm-up: the JIT and every cache
const usPerRequest = new Map<string, number[]>(variants.map((v) => [v.dir, []]));
for (let r = 0; r < rounds; r++) {
  // alternate who goes first, so neither always follows the other's garbage
  for (const v of r % 2 ? [...variants].reverse() : variants) {
    const before = process.cpuUsage();
    await run(v, batch);
    const used = process.cpuUsage(before);
    usPerRequest.get(v.dir)?.push((used.user + used.system) / batch);
  }
}
for (const [dir, list] of usPerRequest) {
  const sorted = [...list].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  process.stdout.write(
    `${dir}: ${scenario} median ${median.toFixed(0)} µs CPU/request (${sorted.map((x) => x.toFixed(0)).join(' ')})\n`,
  );
}
for (const v of variants) await v.close();
process.exit(0);
