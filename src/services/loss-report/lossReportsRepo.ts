import type { Knex } from 'knex';
import type { Clock } from '../../shared/clock.js';
import type { DocumentType, ReportInput } from './reportInput.js';

export type ReportStatus = 'active' | 'withdrawn' | 'replaced';

export interface LossReport extends ReportInput {
  reference: string;
  reporterSub: string;
  clientId: string;
  /** the reporter was the holder (their national ID claim); undefined for reports made before it was kept */
  reporterIsHolder?: boolean;
  status: ReportStatus;
  /** epoch milliseconds */
  createdAt: number;
  updatedAt: number;
}

interface Row {
  reference: string;
  reporter_sub: string;
  client_id: string;
  document_type: string;
  holder_national_id: string;
  holder_name: string;
  reporter_is_holder: boolean | number | null;
  status: string;
  active_key: string | null;
  created_at: number | string;
  updated_at: number | string;
}

const TABLE = 'loss_reports';

const activeKey = (documentType: string, nationalId: string) => `${documentType}:${nationalId}`;

function fromRow(r: Row): LossReport {
  return {
    reference: r.reference,
    reporterSub: r.reporter_sub,
    clientId: r.client_id,
    documentType: r.document_type as DocumentType,
    holderNationalId: r.holder_national_id,
    holderName: r.holder_name,
    ...(r.reporter_is_holder === null ? {} : { reporterIsHolder: Boolean(r.reporter_is_holder) }),
    status: r.status as ReportStatus,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** Owns `loss_reports`. One active report per document and holder, enforced by the database. */
export function createLossReportsRepo(deps: { db: Knex; clock: Clock }) {
  const { db, clock } = deps;
  return {
    /** Records an active report; false when that document of that holder already has one. */
    async insert(
      report: Omit<LossReport, 'status' | 'createdAt' | 'updatedAt'>,
    ): Promise<LossReport | false> {
      const now = clock.now();
      const row: Row = {
        reference: report.reference,
        reporter_sub: report.reporterSub,
        client_id: report.clientId,
        document_type: report.documentType,
        holder_national_id: report.holderNationalId,
        holder_name: report.holderName,
        reporter_is_holder: report.reporterIsHolder ?? null,
        status: 'active',
        active_key: activeKey(report.documentType, report.holderNationalId),
        created_at: now,
        updated_at: now,
      };
      // ON CONFLICT DO NOTHING: a concurrent duplicate loses without an error on either engine.
      const inserted = await db(TABLE).insert(row).onConflict('active_key').ignore().returning('reference');
      return inserted.length === 1 ? fromRow(row) : false;
    },
    async find(reference: string): Promise<LossReport | undefined> {
      const row = await db<Row>(TABLE).where({ reference }).first();
      return row ? fromRow(row) : undefined;
    },
    /** The person's own reports and those about their documents (by their national ID), newest first. */
    async listFor(sub: string, nationalId: string | undefined): Promise<LossReport[]> {
      const rows = await db<Row>(TABLE)
        .where({ reporter_sub: sub })
        .modify((q) => {
          if (nationalId) q.orWhere({ holder_national_id: nationalId });
        })
        .orderBy('created_at', 'desc')
        .limit(200);
      return rows.map(fromRow);
    },
    /** The active report of that document and holder, if any (the register query). */
    async activeFor(documentType: DocumentType, nationalId: string): Promise<LossReport | undefined> {
      const row = await db<Row>(TABLE)
        .where({ active_key: activeKey(documentType, nationalId) })
        .first();
      return row ? fromRow(row) : undefined;
    },
    /** Active → withdrawn or replaced; false when the report was not active (nothing changes). */
    async close(reference: string, status: 'withdrawn' | 'replaced'): Promise<boolean> {
      const n = await db(TABLE)
        .where({ reference, status: 'active' })
        .update({ status, active_key: null, updated_at: clock.now() });
      return n === 1;
    },
  };
}

export type LossReportsRepo = ReturnType<typeof createLossReportsRepo>;
