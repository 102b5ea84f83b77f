// The development mailbox page (never in production), Arabic first.

const ar = {
  'outbox.title': 'صندوق الرسائل التجريبي',
  'outbox.intro': 'في بيئة التطوير تصل الرسائل القصيرة ورسائل البريد إلى هنا بدلاً من إرسالها.',
  'outbox.empty': 'لا توجد رسائل بعد.',
  'outbox.to': 'إلى',
  'outbox.channel': 'القناة',
  'outbox.at': 'الوقت',
  'outbox.text': 'النص',
} as const;

const en: Record<keyof typeof ar, string> = {
  'outbox.title': 'Dev mailbox',
  'outbox.intro': 'In development, text messages and e-mails arrive here instead of being sent.',
  'outbox.empty': 'No messages yet.',
  'outbox.to': 'To',
  'outbox.channel': 'Channel',
  'outbox.at': 'Time',
  'outbox.text': 'Text',
};

export const OUTBOX_MESSAGES = { ar, en };
