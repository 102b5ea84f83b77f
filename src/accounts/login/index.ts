export { canonicalIdentifier } from './canonicalIdentifier.js';
export { type CheckPassword, createCheckPassword, type LoginStart } from './checkPassword.js';
export { createLogin, LOGIN_TX_SECONDS, type Login } from './createLogin.js';
export { FACTORS, type Factor, type FactorName, factorNamed } from './factors/index.js';
export { ACR, ACR_VALUES, type AcrValue, acrRank } from './levels.js';
export { createLoginCodes, type LoginCodes } from './loginCodes.js';
export {
  type Assurance,
  assurance,
  type LoginStep,
  type LoginTransaction,
  nextStep,
  prove,
} from './loginFlow.js';
export { createLoginThrottle, type LoginThrottle } from './loginThrottle.js';
