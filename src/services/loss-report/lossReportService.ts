import { SERVICE_PATHS, serviceDescriptor } from '../../shared/serviceRegistry.js';
import type { RpService } from '../shared/rpService.js';
import { showHome } from './actions/showHome.js';

/** "Report a lost document": client `loss-report` at Hawiya. */
export const lossReportService: RpService = {
  descriptor: serviceDescriptor('loss-report'),
  description: {
    ar: 'أبلغ عن فقدان بطاقة الهوية أو جواز السفر أو غيرهما من الوثائق المدنية، وتابع بلاغك.',
    en: 'Report a lost ID card, passport or other civil document, and follow your report.',
  },
  routes(router, deps) {
    router.get(SERVICE_PATHS.home, showHome(deps));
  },
};
