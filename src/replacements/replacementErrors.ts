import { HawiyaError } from '../shared/errors.js';

export type ReplacementRefusal =
  | 'no_loss_report'
  | 'loss_report_not_active'
  | 'request_exists'
  | 'bad_request_reference'
  | 'unknown_request'
  | 'unknown_office'
  | 'slot_in_past'
  | 'office_closed'
  | 'not_a_slot'
  | 'slot_full'
  | 'already_booked'
  | 'wrong_state'
  | 'bad_date';

const STATUS: Record<ReplacementRefusal, number> = {
  no_loss_report: 404,
  loss_report_not_active: 409,
  request_exists: 409,
  bad_request_reference: 400,
  unknown_request: 404,
  unknown_office: 400,
  slot_in_past: 422,
  office_closed: 422,
  not_a_slot: 422,
  slot_full: 409,
  already_booked: 409,
  wrong_state: 409,
  bad_date: 400,
};

/** The refusals in plain English, for the staff's CLI (the pages have their own catalogue). */
export const REFUSAL_TEXT: Record<ReplacementRefusal, string> = {
  no_loss_report: 'no active loss report of this person under that reference',
  loss_report_not_active: 'the loss report is withdrawn or replaced',
  request_exists: 'the document already has a request in progress',
  bad_request_reference: 'not a request reference (RQ and ten digits, the last a check digit)',
  unknown_request: 'no request with that reference',
  unknown_office: 'no such office',
  slot_in_past: 'the time has passed or starts within the hour',
  office_closed: 'the office is closed that day (weekend or public holiday)',
  not_a_slot: 'not one of the office’s times',
  slot_full: 'the slot is full',
  already_booked: 'the request already has an appointment',
  wrong_state: 'not possible in the request’s current state',
  bad_date: 'not a date (YYYY-MM-DD)',
};

/** Why a replacement step was refused: a stable code (a message key of the pages) and its status. */
export class ReplacementRefused extends HawiyaError {
  constructor(readonly refusal: ReplacementRefusal) {
    super(refusal, STATUS[refusal]);
  }
}
