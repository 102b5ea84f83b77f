// The format check lives in shared/ (the services check national IDs too); the registry re-exports it.
export {
  checkNationalId,
  type IdType,
  type NationalIdCheck,
  normalizeDigits,
  withCheckDigit,
} from '../shared/nationalId.js';
