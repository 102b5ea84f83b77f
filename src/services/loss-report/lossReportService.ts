import type { RpServiceDefinition } from '../shared/createRpApp.js';

/** "Report a lost document": client `loss-report` at Hawiya. */
export const lossReportService: RpServiceDefinition = {
  clientId: 'loss-report',
  serviceScope: 'civil:loss_report',
  name: { ar: 'الإبلاغ عن وثيقة مفقودة', en: 'Report a lost document' },
  description: {
    ar: 'أبلغ عن فقدان بطاقة الهوية أو جواز السفر أو غيرهما من الوثائق المدنية، وتابع بلاغك.',
    en: 'Report a lost ID card, passport or other civil document, and follow your report.',
  },
};
