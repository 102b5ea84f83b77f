import type { Replacements } from '../../replacements/createReplacements.js';
import type { LossReportsApi } from '../../replacements/lossReportsApi.js';
import type { StaffDesk } from '../../replacements/staffDesk.js';
import type { RpServiceDeps } from '../shared/rpService.js';

/** What the replacement service's actions receive. */
export interface ReplacementDeps extends RpServiceDeps {
  replacements: Replacements;
  desk: StaffDesk;
  lossReports: LossReportsApi;
  /** the loss-report API (the person's token for it is asked for with this resource) */
  lossReportApi: string;
  /** the loss-report service's home page, where a loss is reported */
  lossReportHome: string;
}

/** The person's own scope at this service's API. */
export const SCOPE = 'civil:replacement';
