import { SERVICE_PATHS, serviceDescriptor } from '../../shared/serviceRegistry.js';
import type { RpService } from '../shared/rpService.js';
import { showHome } from './actions/showHome.js';

/** "Request a replacement": client `replacement` at Hawiya. */
export const replacementService: RpService = {
  descriptor: serviceDescriptor('replacement'),
  description: {
    ar: 'اطلب بدلاً عن وثيقة مفقودة واحجز موعداً لاستلامها.',
    en: 'Request a replacement for a lost document and book an appointment to collect it.',
  },
  routes(router, deps) {
    router.get(SERVICE_PATHS.home, showHome(deps));
  },
};
