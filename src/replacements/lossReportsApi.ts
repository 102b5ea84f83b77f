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
const LOOKUP_SCOPE = 'civil:loss_report.read';
const CLOSE_SCOPE = 'civil:loss_report.close';
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
 * token (a second resource of the same grant); one report looked up for a person and closing a report as
 * replaced with the replacement service's own client-credentials tokens (civil:loss_report.read, .close).
 * Never the other app's tables.
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
  // One client-credentials token per scope: each asks for the least it needs.
  const cached = new Map<string, { token: string; expiresAt: number }>();

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

  async function machineToken(scope: string): Promise<string> {
    const held = cached.get(scope);
    if (held && held.expiresAt - EARLY_RENEW_MS > now()) return held.token;
    try {
      const tokens = await clientCredentialsGrant(await opts.configuration(), { scope, resource: opts.api });
      const fresh = { token: tokens.access_token, expiresAt: now() + (tokens.expires_in ?? 60) * 1000 };
      cached.set(scope, fresh);
      return fresh.token;
    } catch (err) {
      opts.logger.warn(
        { err: (err as Error).message, scope },
        'no client-credentials token for the loss-report API',
      );
      throw new LossReportsUnavailable();
    }
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
    /**
     * One report as `person` (authenticated by this service from a Hawiya token) would read it, with the
     * service's own token (civil:loss_report.read): for its API's callers, who hold no loss-report token
     * here, and its pages alike. Undefined when it is not theirs or does not exist.
     */
    async lookup(
      reference: string,
      person: { sub: string; nationalId?: string },
    ): Promise<ReportedDocument | undefined> {
      const res = await call(`/reports/${encodeURIComponent(reference)}/lookup`, {
        token: await machineToken(LOOKUP_SCOPE),
        method: 'POST',
        body: { sub: person.sub, national_id: person.nationalId },
      });
      if (res.status === 401) cached.delete(LOOKUP_SCOPE);
      if (res.status === 404 || res.status === 400) return undefined;
      if (res.status !== 200) throw new LossReportsUnavailable();
      return reportOf((await res.json()) as Record<string, unknown>);
    },
    /** Closes the report as replaced (safe to repeat). */
    async close(reference: string, request: string): Promise<void> {
      const token = await machineToken(CLOSE_SCOPE);
      const res = await call(`/reports/${encodeURIComponent(reference)}/replaced`, {
        token,
        method: 'POST',
        body: { request },
      });
      if (res.status === 401) cached.delete(CLOSE_SCOPE);
      if (res.status !== 200) {
        opts.logger.warn({ status: res.status, reference }, 'loss report not closed');
        throw new LossReportsUnavailable();
      }
    },
  };
}

export type LossReportsApi = ReturnType<typeof createLossReportsApi>;
