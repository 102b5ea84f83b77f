import type { Transporter } from 'nodemailer';
import { DeliveryFailed } from '../shared/errors.js';
import { type Logger, maskEmail } from '../shared/logger.js';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(msg: OutgoingEmail): Promise<void>;
  close(): void;
}

/** Sends mail over SMTP (nodemailer); any failure becomes DeliveryFailed('email'). */
export function createMailer(deps: {
  /** smtp(s)://user:pass@host:port */
  smtpUrl: string;
  from: string;
  logger: Logger;
  /** connection, greeting and socket inactivity timeouts, milliseconds (5000) */
  timeoutMs?: number;
}): Mailer {
  const timeoutMs = deps.timeoutMs ?? 5000;
  // Nodemailer (about 3 MiB of heap) is loaded with the first mail: a process that sends none never holds it.
  let transport: Transporter | undefined;
  let loading: Promise<Transporter> | undefined;
  const transporter = () =>
    (loading ??= import('nodemailer').then(({ createTransport }) => {
      // Nodemailer's defaults wait minutes; a stuck server must not hold a login request that long.
      transport = createTransport({
        url: deps.smtpUrl,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
      return transport;
    }));

  return {
    async send(msg) {
      try {
        await (await transporter()).sendMail({
          from: deps.from,
          to: msg.to,
          subject: msg.subject,
          text: msg.text,
          ...(msg.html === undefined ? {} : { html: msg.html }),
        });
      } catch (err) {
        // Only the masked address and the failure kind: the text may hold a code. ("code" is redacted by pino.)
        const e = err as { code?: unknown; responseCode?: unknown };
        deps.logger.warn(
          { to: maskEmail(msg.to), errorCode: e.code, responseCode: e.responseCode },
          'email delivery failed',
        );
        throw new DeliveryFailed('email');
      }
      deps.logger.debug({ to: maskEmail(msg.to) }, 'email sent');
    },
    close() {
      transport?.close();
    },
  };
}
