import type { Config } from '../config.js';
import { DeliveryFailed } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { createDevOutbox, type DevOutbox } from './devOutbox.js';
import { createMailer, type Mailer, type OutgoingEmail } from './mailer.js';
import { createSmsGateway, type OutgoingSms } from './smsGateway.js';

export interface Notifier {
  /** throws DeliveryFailed('sms') on any failure */
  sendSms(msg: OutgoingSms): Promise<void>;
  /** throws DeliveryFailed('email') on any failure */
  sendEmail(msg: OutgoingEmail): Promise<void>;
}

/**
 * SMS to the gateway when SMS_GATEWAY_URL is set, mail to SMTP when SMTP_URL is set; whichever is unset
 * goes to the dev outbox, which production refuses.
 */
export function createNotifier(deps: {
  config: Config;
  logger: Logger;
  outbox?: DevOutbox;
}): Notifier & { outbox?: DevOutbox; close(): void } {
  const { config, logger } = deps;
  const { gatewayUrl, gatewayToken, sender } = config.sms;
  const { smtpUrl, from } = config.mail;
  if ((!gatewayUrl || !smtpUrl) && config.env === 'production') {
    // loadConfig already refuses this; kept so a hand-built config cannot leak codes to disk.
    throw new Error('the dev outbox is not allowed in production: set SMTP_URL and SMS_GATEWAY_URL');
  }
  const outbox =
    !gatewayUrl || !smtpUrl ? (deps.outbox ?? createDevOutbox({ dir: config.outboxDir, logger })) : undefined;

  const toOutbox = async (channel: 'sms' | 'email', m: { to: string; subject?: string; text: string }) => {
    try {
      await outbox!.write({ channel, ...m });
    } catch (err) {
      logger.warn({ channel, err }, 'dev outbox write failed');
      throw new DeliveryFailed(channel);
    }
  };

  const sms = gatewayUrl
    ? createSmsGateway({ url: gatewayUrl, token: gatewayToken, sender, logger })
    : undefined;
  const mailer: Mailer | undefined = smtpUrl ? createMailer({ smtpUrl, from, logger }) : undefined;

  return {
    ...(outbox ? { outbox } : {}),
    async sendSms(msg) {
      if (sms) await sms.send(msg);
      else await toOutbox('sms', { to: msg.to, text: msg.text });
    },
    async sendEmail(msg) {
      if (mailer) await mailer.send(msg);
      else await toOutbox('email', { to: msg.to, subject: msg.subject, text: msg.text });
    },
    close() {
      mailer?.close();
    },
  };
}
