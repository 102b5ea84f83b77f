export { createRegistration, type Registration } from './createRegistration.js';
