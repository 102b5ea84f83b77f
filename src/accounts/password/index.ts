export { type ChangePassword, createChangePassword } from './createChangePassword.js';
