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

/** Why a replacement step was refused: a stable code (a message key of the pages) and its status. */
export class ReplacementRefused extends HawiyaError {
  constructor(readonly refusal: ReplacementRefusal) {
    super(refusal, STATUS[refusal]);
  }
}
