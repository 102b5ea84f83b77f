import { createReplacements } from '../../replacements/createReplacements.js';
import { createLossReportsApi } from '../../replacements/lossReportsApi.js';
import { sweepReplacements } from '../../replacements/reminderSweep.js';
import { createStaffDesk } from '../../replacements/staffDesk.js';
import { SERVICE_PATHS, serviceDescriptor } from '../../shared/serviceRegistry.js';
import { readForm } from '../shared/middleware/readForm.js';
import type { RpService, RpServiceDeps } from '../shared/rpService.js';
import { bookRequestAppointment } from './actions/api/bookRequestAppointment.js';
import { cancelRequest } from './actions/api/cancelRequest.js';
import { cancelRequestAppointment } from './actions/api/cancelRequestAppointment.js';
import { createRequest } from './actions/api/createRequest.js';
import { getForm58 } from './actions/api/getForm58.js';
import { getRequest } from './actions/api/getRequest.js';
import { listFreeSlots } from './actions/api/listFreeSlots.js';
import { listOffices } from './actions/api/listOffices.js';
import { listRequests } from './actions/api/listRequests.js';
import { downloadForm58 } from './actions/downloadForm58.js';
import { showBooking } from './actions/showBooking.js';
import { showHome } from './actions/showHome.js';
import { showRequest } from './actions/showRequest.js';
import { submitBooking } from './actions/submitBooking.js';
import { submitCancel } from './actions/submitCancel.js';
import { submitRequest } from './actions/submitRequest.js';
import type { ReplacementDeps } from './replacementDeps.js';

// The day-before reminders and the retried loss-report closures run this often.
export const SWEEP_MS = 10 * 60 * 1000;

const built = new WeakMap<RpServiceDeps, ReplacementDeps>();

/** The service's domain over the shared deps, built once per app (routes and the sweep share it). */
export function replacementDeps(base: RpServiceDeps): ReplacementDeps {
  const cached = built.get(base);
  if (cached) return cached;
  const api = base.calledApis.find((c) => c.service === 'loss-report');
  if (!api) throw new Error('the replacement service calls the loss-report API');
  const domain = {
    db: base.db,
    clock: base.clock,
    audit: base.audit,
    notifier: base.notifier,
    logger: base.logger,
  };
  const replacements = createReplacements(domain);
  const lossReports = createLossReportsApi({
    api: api.resource,
    configuration: () => base.idp.configuration(),
    logger: base.logger,
    now: () => base.clock.now(),
  });
  const deps: ReplacementDeps = {
    ...base,
    replacements,
    lossReports,
    desk: createStaffDesk({ ...domain, replacements, lossReports }),
    lossReportApi: api.resource,
    lossReportHome: api.resource.slice(0, -SERVICE_PATHS.api.length) || '/',
  };
  built.set(base, deps);
  return deps;
}

/** "Request a replacement": client `replacement` at Hawiya; its pages and its JSON API. */
export const replacementService: RpService = {
  descriptor: serviceDescriptor('replacement'),
  description: {
    ar: 'اطلب بدلاً عن وثيقة مفقودة واحجز موعداً في مكتب الأحوال المدنية.',
    en: 'Request a replacement for a lost document and book an appointment at a civil-affairs office.',
  },
  routes(router, base) {
    const deps = replacementDeps(base);
    const form = readForm();
    router.get(SERVICE_PATHS.home, showHome(deps));
    router.post('/requests', form, submitRequest(deps));
    router.get('/requests/:reference', showRequest(deps));
    router.get('/requests/:reference/book', showBooking(deps));
    router.post('/requests/:reference/book', form, submitBooking(deps));
    router.get('/requests/:reference/form58.pdf', downloadForm58(deps));
    router.post('/requests/:reference/cancel', form, submitCancel(deps));

    const API = SERVICE_PATHS.api;
    router.get(`${API}/requests`, listRequests(deps));
    router.post(`${API}/requests`, createRequest(deps));
    router.get(`${API}/requests/:reference`, getRequest(deps));
    router.post(`${API}/requests/:reference/cancel`, cancelRequest(deps));
    router.put(`${API}/requests/:reference/appointment`, bookRequestAppointment(deps));
    router.delete(`${API}/requests/:reference/appointment`, cancelRequestAppointment(deps));
    router.get(`${API}/requests/:reference/form58.pdf`, getForm58(deps));
    router.get(`${API}/offices`, listOffices(deps));
    router.get(`${API}/offices/:office/slots`, listFreeSlots(deps));
  },
  background(base) {
    const deps = replacementDeps(base);
    const timer = setInterval(() => {
      sweepReplacements(deps)
        .then((n) => {
          if (n.reminded + n.closed > 0) deps.logger.info(n, 'replacement sweep');
        })
        .catch((err) => deps.logger.error({ err }, 'replacement sweep failed'));
    }, SWEEP_MS);
    timer.unref();
    return () => clearInterval(timer);
  },
};
