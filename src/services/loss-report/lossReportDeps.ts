import type { RpServiceDeps } from '../shared/rpService.js';
import type { LossReports } from './createLossReports.js';

/** What the loss-report service's actions receive: the shared service deps and the register. */
export interface LossReportDeps extends RpServiceDeps {
  reports: LossReports;
}

/**
 * The person's own scope; the register query's, a report looked up for a person, and closing as replaced
 * (client credentials only).
 */
export const SCOPES = {
  person: 'civil:loss_report',
  register: 'civil:loss_register.read',
  lookup: 'civil:loss_report.read',
  close: 'civil:loss_report.close',
} as const;
