import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.js';

export type RequestStatus = 'submitted' | 'booked' | 'attended' | 'ready' | 'collected' | 'cancelled';

/** Still in progress: holds its lost document (one open request per loss report). */
export const OPEN_STATUSES: readonly RequestStatus[] = ['submitted', 'booked', 'attended', 'ready'];

export interface ReplacementRequest {
  reference: string;
  requesterSub: string;
  requesterNationalId?: string;
  requesterNameAr: string;
  requesterNameEn: string;
  phone?: string;
  email?: string;
  lossReport: string;
  documentType: string;
  holderNationalId: string;
  holderName: string;
  status: RequestStatus;
  biometricsCaptured: boolean;
  collectionDate?: string;
  reportClosedAt?: number;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  reference: string;
  requester_sub: string;
  requester_national_id: string | null;
  requester_name_ar: string;
  requester_name_en: string;
  phone: string | null;
  email: string | null;
  loss_report: string;
  document_type: string;
  holder_national_id: string;
  holder_name: string;
  status: string;
  open_key: string | null;
  biometrics_captured: boolean | number;
  collection_date: string | null;
  report_closed_at: number | string | null;
  created_at: number | string;
  updated_at: number | string;
}

const TABLE = 'replacement_requests';

function fromRow(r: Row): ReplacementRequest {
  return {
    reference: r.reference,
    requesterSub: r.requester_sub,
    requesterNationalId: r.requester_national_id ?? undefined,
    requesterNameAr: r.requester_name_ar,
    requesterNameEn: r.requester_name_en,
    phone: r.phone ?? undefined,
    email: r.email ?? undefined,
    lossReport: r.loss_report,
    documentType: r.document_type,
    holderNationalId: r.holder_national_id,
    holderName: r.holder_name,
    status: r.status as RequestStatus,
    biometricsCaptured: Boolean(r.biometrics_captured),
    collectionDate: r.collection_date ?? undefined,
    reportClosedAt: r.report_closed_at === null ? undefined : Number(r.report_closed_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export type NewRequest = Omit<
  ReplacementRequest,
  'status' | 'biometricsCaptured' | 'collectionDate' | 'reportClosedAt' | 'createdAt' | 'updatedAt'
>;

/** Owns `replacement_requests`. One open request per loss report, enforced by the database. */
export function createRequestsRepo(deps: { db: Knex; clock: Clock }) {
  const { db, clock } = deps;
  return {
    /** Records a submitted request; false when the loss report already has an open one. */
    async insert(req: NewRequest): Promise<ReplacementRequest | false> {
      const now = clock.now();
      const row: Row = {
        reference: req.reference,
        requester_sub: req.requesterSub,
        requester_national_id: req.requesterNationalId ?? null,
        requester_name_ar: req.requesterNameAr,
        requester_name_en: req.requesterNameEn,
        phone: req.phone ?? null,
        email: req.email ?? null,
        loss_report: req.lossReport,
        document_type: req.documentType,
        holder_national_id: req.holderNationalId,
        holder_name: req.holderName,
        status: 'submitted',
        open_key: req.lossReport,
        biometrics_captured: false,
        collection_date: null,
        report_closed_at: null,
        created_at: now,
        updated_at: now,
      };
      const inserted = await db(TABLE).insert(row).onConflict('open_key').ignore().returning('reference');
      return inserted.length === 1 ? fromRow(row) : false;
    },
    async find(reference: string, trx?: Knex): Promise<ReplacementRequest | undefined> {
      const row = await (trx ?? db)<Row>(TABLE).where({ reference }).first();
      return row ? fromRow(row) : undefined;
    },
    async openFor(lossReport: string): Promise<ReplacementRequest | undefined> {
      const row = await db<Row>(TABLE).where({ open_key: lossReport }).first();
      return row ? fromRow(row) : undefined;
    },
    async listByRequester(sub: string): Promise<ReplacementRequest[]> {
      const rows = await db<Row>(TABLE)
        .where({ requester_sub: sub })
        .orderBy('created_at', 'desc')
        .limit(200);
      return rows.map(fromRow);
    },
    /**
     * Moves a request from one of `from` to `to` (with the given changes); false when it was in none of
     * them (someone else moved it first): a compare-and-set, so concurrent steps never both apply.
     */
    async transition(opts: {
      reference: string;
      from: readonly RequestStatus[];
      to: RequestStatus;
      changes?: { biometricsCaptured?: boolean; collectionDate?: string };
      trx?: Knex;
    }): Promise<boolean> {
      const closed = opts.to === 'collected' || opts.to === 'cancelled';
      const n = await (opts.trx ?? db)(TABLE)
        .where({ reference: opts.reference })
        .whereIn('status', [...opts.from])
        .update({
          status: opts.to,
          ...(closed ? { open_key: null } : {}),
          ...(opts.changes?.biometricsCaptured !== undefined
            ? { biometrics_captured: opts.changes.biometricsCaptured }
            : {}),
          ...(opts.changes?.collectionDate !== undefined
            ? { collection_date: opts.changes.collectionDate }
            : {}),
          updated_at: clock.now(),
        });
      return n === 1;
    },
    /** Collected requests whose loss report is not closed yet (the sweep retries them). */
    async awaitingReportClosure(limit = 50): Promise<ReplacementRequest[]> {
      const rows = await db<Row>(TABLE)
        .where({ status: 'collected' })
        .whereNull('report_closed_at')
        .limit(limit);
      return rows.map(fromRow);
    },
    async markReportClosed(reference: string): Promise<void> {
      await db(TABLE)
        .where({ reference })
        .whereNull('report_closed_at')
        .update({ report_closed_at: clock.now() });
    },
  };
}

export type RequestsRepo = ReturnType<typeof createRequestsRepo>;
