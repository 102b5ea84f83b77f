import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.js';

export type AppointmentStatus = 'booked' | 'attended' | 'cancelled';

export interface Appointment {
  id: number;
  request: string;
  officeId: string;
  /** epoch milliseconds */
  startsAt: number;
  seat: number;
  status: AppointmentStatus;
}

interface Row {
  id: number;
  request: string;
  office_id: string;
  starts_at: number | string;
  seat: number;
  status: string;
  seat_key: string | null;
  request_key: string | null;
  reminder_claimed_at: number | string | null;
  created_at: number | string;
  updated_at: number | string;
}

const TABLE = 'appointments';

function fromRow(r: Row): Appointment {
  return {
    id: Number(r.id),
    request: r.request,
    officeId: r.office_id,
    startsAt: Number(r.starts_at),
    seat: Number(r.seat),
    status: r.status as AppointmentStatus,
  };
}

const seatKey = (officeId: string, startsAt: number, seat: number) => `${officeId}:${startsAt}:${seat}`;

export type BookResult =
  | { ok: true; appointment: Appointment }
  | { ok: false; reason: 'slot_full' | 'already_booked' };

/**
 * Owns `appointments`. A slot never takes more than its capacity, under any number of concurrent bookings
 * from any number of processes, on both engines: each booking is one conditional insert of a numbered seat
 * (1..capacity) whose key is unique while it stands; the database, not a count read beforehand, decides.
 */
export function createAppointmentsRepo(deps: { db: Knex; clock: Clock }) {
  const { db, clock } = deps;

  async function active(request: string, trx?: Knex): Promise<Appointment | undefined> {
    const row = await (trx ?? db)<Row>(TABLE).where({ request_key: request }).first();
    return row ? fromRow(row) : undefined;
  }

  /** Frees the request's standing booking (its seat and its request key). */
  async function cancelActive(request: string, trx?: Knex): Promise<boolean> {
    const n = await (trx ?? db)(TABLE)
      .where({ request_key: request, status: 'booked' })
      .update({ status: 'cancelled', seat_key: null, request_key: null, updated_at: clock.now() });
    return n === 1;
  }

  /** Tries each seat of the slot in turn: an insert that conflicts (seat or request taken) inserts nothing. */
  async function book(
    slot: { request: string; officeId: string; startsAt: number; capacity: number },
    trx?: Knex,
  ): Promise<BookResult> {
    const q = trx ?? db;
    const now = clock.now();
    for (let seat = 1; seat <= slot.capacity; seat++) {
      const row = {
        request: slot.request,
        office_id: slot.officeId,
        starts_at: slot.startsAt,
        seat,
        status: 'booked',
        seat_key: seatKey(slot.officeId, slot.startsAt, seat),
        request_key: slot.request,
        reminder_claimed_at: null,
        created_at: now,
        updated_at: now,
      };
      // ON CONFLICT DO NOTHING covers both unique keys: a taken seat, or a request already booked.
      const inserted = await q(TABLE).insert(row).onConflict().ignore().returning('id');
      if (inserted.length === 1) {
        const id = Number((inserted[0] as { id: number }).id);
        return { ok: true, appointment: fromRow({ ...row, id } as Row) };
      }
      if (await active(slot.request, trx)) return { ok: false, reason: 'already_booked' };
    }
    return { ok: false, reason: 'slot_full' };
  }

  return {
    book,
    active,
    cancelActive,
    /** The request's latest appointment, whatever its status. */
    async latestFor(request: string): Promise<Appointment | undefined> {
      const row = await db<Row>(TABLE).where({ request }).orderBy('id', 'desc').first();
      return row ? fromRow(row) : undefined;
    },
    /** Taken seats per slot start of an office between two instants. */
    async takenSeats(officeId: string, from: number, to: number): Promise<Map<number, number>> {
      const rows: { starts_at: number | string; n: number | string }[] = await db(TABLE)
        .where({ office_id: officeId })
        .whereNot({ status: 'cancelled' })
        .whereBetween('starts_at', [from, to])
        .groupBy('starts_at')
        .select('starts_at')
        .count({ n: '*' });
      return new Map(rows.map((r) => [Number(r.starts_at), Number(r.n)]));
    },
    async markAttended(request: string, trx?: Knex): Promise<boolean> {
      const n = await (trx ?? db)(TABLE)
        .where({ request_key: request, status: 'booked' })
        .update({ status: 'attended', request_key: null, updated_at: clock.now() });
      return n === 1;
    },
    /** Appointments of an office starting between two instants (the staff's day list). */
    async listForOffice(officeId: string, from: number, to: number): Promise<Appointment[]> {
      const rows = await db<Row>(TABLE)
        .where({ office_id: officeId })
        .whereNot({ status: 'cancelled' })
        .whereBetween('starts_at', [from, to - 1])
        .orderBy('starts_at')
        .orderBy('seat');
      return rows.map(fromRow);
    },
    /** Booked appointments between two instants whose reminder nobody has claimed yet. */
    async dueReminders(from: number, to: number): Promise<Appointment[]> {
      const rows = await db<Row>(TABLE)
        .where({ status: 'booked' })
        .whereNull('reminder_claimed_at')
        .whereBetween('starts_at', [from, to - 1])
        .limit(500);
      return rows.map(fromRow);
    },
    /** Claims an appointment's reminder: true for exactly one caller, whatever the number of processes. */
    async claimReminder(id: number): Promise<boolean> {
      const n = await db(TABLE)
        .where({ id })
        .whereNull('reminder_claimed_at')
        .update({ reminder_claimed_at: clock.now() });
      return n === 1;
    },
  };
}

export type AppointmentsRepo = ReturnType<typeof createAppointmentsRepo>;
