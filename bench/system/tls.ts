import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchCertificate {
  /** PEM files; cert.pem is also the CA the server trusts (NODE_EXTRA_CA_CERTS) */
  certFile: string;
  key: Buffer;
  cert: Buffer;
}

/**
 * A self-signed certificate for 127.0.0.1, made with openssl for this run only: the stand-in SMS gateway and
 * mail server speak TLS, so the server runs with the https/TLS settings production requires.
 */
export function makeBenchCertificate(dir: string): BenchCertificate {
  const keyFile = join(dir, 'bench-key.pem');
  const certFile = join(dir, 'bench-cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, key: readFileSync(keyFile), cert: readFileSync(certFile) };
}
