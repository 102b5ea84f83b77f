export { DEMO_PERSONS, seedDemoPersons } from './demoPersons.js';
export {
  type BadLine,
  type ImportRegistryResult,
  importRegistryCsv,
  type ParsedRegistryCsv,
  parseRegistryCsv,
  REGISTRY_CSV_COLUMNS,
} from './importRegistryCsv.js';
export {
  checkNationalId,
  type IdType,
  type NationalIdCheck,
  normalizeDigits,
  withCheckDigit,
} from './nationalId.js';
export {
  createRegistryRepo,
  type RegistryPerson,
  type RegistryPersonInput,
  type RegistryRepo,
  type RegistryRow,
  registryPersonOf,
} from './registryRepo.js';
