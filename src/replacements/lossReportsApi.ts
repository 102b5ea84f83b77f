import { type Configuration, clientCredentialsGrant } from 'openid-client';
import { HawiyaError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

/** A loss report as its API shows it to its reporter. */
export interface ReportedDocument {
  reference: string;
  documentType: string;
  holderNationalId: string;
  holderName: string;
  status: 'active' | 'withdrawn' | 'replaced';
}

/** The loss-report API could not be asked (down, or answering what it should not). */
export class LossReportsUnavailable extends HawiyaError {
  constructor() {
    super('loss_reports_unavailable', 503);
  }
}

const TIMEOUT_MS = 5000;
const EARLY_RENEW_MS = 30_000;

function reportOf(raw: Record<string, unknown>): ReportedDocument {
  return {
    reference: String(raw.reference),
    documentType: String(raw.document_type),
    holderNationalId: String(raw.holder_national_id),
    holderName: String(raw.holder_name),
    status: raw.status as ReportedDocument['status'],
  };
}

/**
 * The loss-report service's API as the replacement service uses it: the person's reports with the person's
 * token (a second resource of the same grant), and closing a report as replaced with the replacement
 * service's own client-credentials token (scope civil:loss_report.close). Never the other app's tables.
 */
export function createLossReportsApi(opts: {
  /** the loss-report API's URL (its resource indicator) */
  api: string;
  /** the replacement client's configuration at Hawiya (client id and secret), for client credentials */
  configuration: () => Promise<Configuration>;
  logger: Logger;
  now?: () => number;
}) {
  const now = opts.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;

  async function call(path: string, init: { token: string; method?: string; body?: unknown }) {
    try {
      return await fetch(`${opts.api}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${init.token}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      opts.logger.warn({ err: (err as Error).message, path }, 'loss-report API unreachable');
      throw new LossReportsUnavailable();
    }
  }

  async function machineToken(): Promise<string> {
    if (cached && cached.expiresAt - EARLY_RENEW_MS > now()) return cached.token;
    const tokens = await clientCredentialsGrant(await opts.configuration(), {
      scope: 'civil:loss_report.close',
      resource: opts.api,
    });
    cached = { token: tokens.access_token, expiresAt: now() + (tokens.expires_in ?? 60) * 1000 };
    return cached.token;
  }

  return {
    /** The person's reports (newest first). */
    async list(personToken: string): Promise<ReportedDocument[]> {
      const res = await call('/reports', { token: personToken });
      if (res.status !== 200) throw new LossReportsUnavailable();
      const body = (await res.json()) as { reports?: Record<string, unknown>[] };
      return (body.reports ?? []).map(reportOf);
    },
    /** One of the person's reports, or undefined when it is not theirs or does not exist. */
    async get(personToken: string, reference: string): Promise<ReportedDocument | undefined> {
      const res = await call(`/reports/${encodeURIComponent(reference)}`, { token: personToken });
      if (res.status === 404 || res.status === 400) return undefined;
      if (res.status !== 200) throw new LossReportsUnavailable();
      return reportOf((await res.json()) as Record<string, unknown>);
    },
    /** Closes the report as replaced (safe to repeat). */
    async close(reference: string, request: string): Promise<void> {
      let token: string;
      try {
        token = await machineToken();
      } catch (err) {
        opts.logger.warn(
          { err: (err as Error).message },
          'no client-credentials token for the loss-report API',
        );
        throw new LossReportsUnavailable();
      }
      const res = await call(`/reports/${encodeURIComponent(reference)}/replaced`, {
        token,
        method: 'POST',
        body: { request },
      });
      if (res.status === 401) cached = undefined;
      if (res.status !== 200) {
        opts.logger.warn({ status: res.status, reference }, 'loss report not closed');
        throw new LossReportsUnavailable();
      }
    },
  };
}

export type LossReportsApi = ReturnType<typeof createLossReportsApi>;
