import type { Notifier } from '../../src/notify/index.js';

/** A notifier that keeps what it is asked to send (unit tests; journeys use the real catchers). */
export function recordingNotifier() {
  const sent: { channel: 'sms' | 'email'; to: string; text: string; subject?: string }[] = [];
  const notifier: Notifier = {
    async sendSms(m) {
      sent.push({ channel: 'sms', to: m.to, text: m.text });
    },
    async sendEmail(m) {
      sent.push({ channel: 'email', to: m.to, text: m.text, subject: m.subject });
    },
  };
  return { notifier, sent };
}
