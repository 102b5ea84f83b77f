import type { RpServiceDefinition } from '../shared/createRpApp.js';

/** "Request a replacement": client `replacement` at Hawiya. */
export const replacementService: RpServiceDefinition = {
  clientId: 'replacement',
  serviceScope: 'civil:replacement',
  name: { ar: 'طلب بدل فاقد', en: 'Request a replacement' },
  description: {
    ar: 'اطلب بدلاً عن وثيقة مفقودة واحجز موعداً لاستلامها.',
    en: 'Request a replacement for a lost document and book an appointment to collect it.',
  },
};
