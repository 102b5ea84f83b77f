export { createPasswordReset, type PasswordReset } from './createPasswordReset.js';
