import { SERVICE_PATHS, serviceDescriptor } from '../../shared/serviceRegistry.js';
import { createRegistryCheckClient } from '../shared/createRegistryCheckClient.js';
import { readForm } from '../shared/middleware/readForm.js';
import type { RpService } from '../shared/rpService.js';
import { createReport } from './actions/api/createReport.js';
import { getReport } from './actions/api/getReport.js';
import { listReports } from './actions/api/listReports.js';
import { lookupReport } from './actions/api/lookupReport.js';
import { markReplaced } from './actions/api/markReplaced.js';
import { queryRegister } from './actions/api/queryRegister.js';
import { withdrawReport } from './actions/api/withdrawReport.js';
import { showDetails } from './actions/pages/showDetails.js';
import { showHome } from './actions/pages/showHome.js';
import { showPickDocument } from './actions/pages/showPickDocument.js';
import { showReport } from './actions/pages/showReport.js';
import { submitConfirm } from './actions/pages/submitConfirm.js';
import { submitDetails } from './actions/pages/submitDetails.js';
import { submitWithdraw } from './actions/pages/submitWithdraw.js';
import { createLossReports } from './createLossReports.js';
import type { LossReportDeps } from './lossReportDeps.js';
import { createLossReportsRepo } from './lossReportsRepo.js';
import { createRegistryCheckLimit } from './registryCheckLimit.js';

const API = SERVICE_PATHS.api;

/** "Report a lost document": client `loss-report` at Hawiya; its pages and its JSON API. */
export const lossReportService: RpService = {
  descriptor: serviceDescriptor('loss-report'),
  description: {
    ar: 'أبلغ عن فقد بطاقة الهوية الوطنية أو سجل الأسرة أو شهادة الميلاد أو الوفاة، وتابع بلاغاتك.',
    en: 'Report a lost national ID card, family record, birth or death certificate, and follow your reports.',
  },
  routes(router, base) {
    const deps: LossReportDeps = {
      ...base,
      reports: createLossReports({
        repo: createLossReportsRepo({ db: base.db, clock: base.clock }),
        registryCheck: createRegistryCheckClient({
          issuer: base.issuer,
          idp: base.idp,
          logger: base.logger,
          now: () => base.clock.now(),
        }),
        checkLimit: createRegistryCheckLimit({ db: base.db, clock: base.clock }),
        notifier: base.notifier,
        audit: base.audit,
        logger: base.logger,
      }),
    };
    const form = readForm();
    router.get(SERVICE_PATHS.home, showHome(deps));
    router.get('/reports/new', showPickDocument(deps));
    router.get('/reports/new/details', showDetails(deps));
    router.post('/reports/new/details', form, submitDetails(deps));
    router.post('/reports/new/confirm', form, submitConfirm(deps));
    router.get('/reports/:reference', showReport(deps));
    router.post('/reports/:reference/withdraw', form, submitWithdraw(deps));

    router.get(`${API}/reports`, listReports(deps));
    router.post(`${API}/reports`, createReport(deps));
    router.get(`${API}/reports/:reference`, getReport(deps));
    router.post(`${API}/reports/:reference/withdraw`, withdrawReport(deps));
    router.post(`${API}/reports/:reference/replaced`, markReplaced(deps));
    router.post(`${API}/reports/:reference/lookup`, lookupReport(deps));
    router.get(`${API}/register`, queryRegister(deps));
  },
};
