// One core's share of a CPU ceiling: repeats one operation for the given time and reports how many it did.
import { parentPort, workerData } from 'node:worker_threads';

const { kind, seconds, argon2: params } = workerData;
let op;
if (kind === 'argon2') {
  const argon2 = await import('argon2');
  const password = 'bench: a long passphrase nobody types';
  const hash = await argon2.hash(password, { type: argon2.argon2id, ...params, hashLength: 32 });
  op = () => argon2.verify(hash, password);
} else {
  const { SignJWT, generateKeyPair } = await import('jose');
  const { privateKey } = await generateKeyPair('ES256');
  // about the claims of a client-credentials access token
  const claims = { client_id: 'replacement', scope: 'civil:loss_report.close', jti: 'x'.repeat(43) };
  op = () =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'es256-bench' })
      .setIssuer('https://id.example.gov')
      .setAudience('https://loss.example.gov/api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
}
const until = Date.now() + seconds * 1000;
const times = [];
while (Date.now() < until) {
  const t = performance.now();
  await op();
  times.push(performance.now() - t);
}
parentPort.postMessage(times);
