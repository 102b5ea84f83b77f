export { createNotifier, type Notifier } from './createNotifier.js';
export { createDevOutbox, type DevOutbox, type OutboxMessage } from './devOutbox.js';
export { createMailer, type Mailer, type OutgoingEmail } from './mailer.js';
export { createSmsGateway, type OutgoingSms, type SmsGateway } from './smsGateway.js';
