import { hasControlChars } from '../../shared/controlChars.js';
import { checkNationalId } from '../../shared/nationalId.js';

/** The documents a loss can be reported for (the seed's list). */
export const DOCUMENT_TYPES = [
  'national_id_card',
  'family_record',
  'birth_certificate',
  'death_certificate',
] as const;

export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export function isDocumentType(value: unknown): value is DocumentType {
  return typeof value === 'string' && (DOCUMENT_TYPES as readonly string[]).includes(value);
}

export interface ReportInput {
  documentType: DocumentType;
  holderNationalId: string;
  holderName: string;
}

export type ReportField = 'documentType' | 'holderNationalId' | 'holderName';

/** Why a field was refused: each is a message key (`loss.error.<reason>`) in both languages. */
export type ReportFieldError =
  | 'unknown_document'
  | 'bad_national_id'
  | 'bad_name'
  | 'name_too_long'
  | 'id_card_not_own';

export type ReportInputCheck =
  | { ok: true; value: ReportInput }
  | { ok: false; errors: Partial<Record<ReportField, ReportFieldError>> };

export const NAME_MAX = 100;
// Letters and marks of any script, with the spaces, hyphens, apostrophes and dots names carry.
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} '.\u2019-]*$/u;

/**
 * One submission (form or JSON) checked as a whole, every problem at once. No I/O: whether the holder is
 * in the registry is asked of Hawiya afterwards. An ID card can only be reported lost by its holder.
 */
export function checkReportInput(
  raw: Record<string, unknown>,
  caller: { nationalId: string | undefined },
): ReportInputCheck {
  const errors: Partial<Record<ReportField, ReportFieldError>> = {};
  const documentType = raw.documentType;
  if (!isDocumentType(documentType)) errors.documentType = 'unknown_document';

  const id = typeof raw.holderNationalId === 'string' ? checkNationalId(raw.holderNationalId) : undefined;
  if (!id?.ok) errors.holderNationalId = 'bad_national_id';
  else if (documentType === 'national_id_card' && id.nationalId !== caller.nationalId)
    errors.holderNationalId = 'id_card_not_own';

  const rawName = typeof raw.holderName === 'string' ? raw.holderName : '';
  const holderName = rawName.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (hasControlChars(rawName) || !NAME.test(holderName) || [...holderName].length < 2)
    errors.holderName = 'bad_name';
  else if ([...holderName].length > NAME_MAX) errors.holderName = 'name_too_long';

  if (!isDocumentType(documentType) || !id?.ok || Object.keys(errors).length > 0)
    return { ok: false, errors };
  return { ok: true, value: { documentType, holderNationalId: id.nationalId, holderName } };
}
