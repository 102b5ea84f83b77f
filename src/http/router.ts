import Router from '@koa/router';
import { formBody } from '../shared/formBody.js';
import { REGISTRY_CHECK } from '../shared/serviceRegistry.js';
import { accountCallback } from './actions/account/accountCallback.js';
import { changePassword } from './actions/account/changePassword.js';
import { revokeGrant } from './actions/account/revokeGrant.js';
import { showAccount } from './actions/account/showAccount.js';
import { startAccountLogin } from './actions/account/startAccountLogin.js';
import { abortInteraction } from './actions/interaction/abortInteraction.js';
import { resendOtp } from './actions/interaction/resendOtp.js';
import { showInteraction } from './actions/interaction/showInteraction.js';
import { showOtp } from './actions/interaction/showOtp.js';
import { submitConsent } from './actions/interaction/submitConsent.js';
import { submitOtp } from './actions/interaction/submitOtp.js';
import { submitPassword } from './actions/interaction/submitPassword.js';
import { serveStatic } from './actions/pages/serveStatic.js';
import { showHome } from './actions/pages/showHome.js';
import { showOutbox } from './actions/pages/showOutbox.js';
import { resendActivation } from './actions/register/resendActivation.js';
import { showActivate } from './actions/register/showActivate.js';
import { showRegister } from './actions/register/showRegister.js';
import { showRegistered } from './actions/register/showRegistered.js';
import { submitActivate } from './actions/register/submitActivate.js';
import { submitRegister } from './actions/register/submitRegister.js';
import { verifyRegistryHolder } from './actions/registry/verifyRegistryHolder.js';
import { resendResetCode } from './actions/reset/resendResetCode.js';
import { showReset } from './actions/reset/showReset.js';
import { showResetCode } from './actions/reset/showResetCode.js';
import { showResetDone } from './actions/reset/showResetDone.js';
import { showResetPassword } from './actions/reset/showResetPassword.js';
import { submitReset } from './actions/reset/submitReset.js';
import { submitResetCode } from './actions/reset/submitResetCode.js';
import { submitResetPassword } from './actions/reset/submitResetPassword.js';
import type { IdpDeps } from './deps.js';
import { csrf } from './middleware/csrf.js';

/** Every path of Hawiya's own pages; everything else falls through to oidc-provider. */
export function createRouter(deps: IdpDeps, opts: { secure: boolean; origin: string }): Router {
  const router = new Router();
  const form = formBody({ limit: '16kb' });
  const guard = csrf(opts);

  router.get('/', guard, showHome(deps));
  router.get('/static/:file', serveStatic());

  router.get('/interaction/:uid', guard, showInteraction(deps));
  router.post('/interaction/:uid/login', form, guard, submitPassword(deps));
  router.get('/interaction/:uid/otp', guard, showOtp(deps));
  router.post('/interaction/:uid/otp', form, guard, submitOtp(deps));
  router.post('/interaction/:uid/otp/resend', form, guard, resendOtp(deps));
  router.post('/interaction/:uid/consent', form, guard, submitConsent(deps));
  router.post('/interaction/:uid/abort', form, guard, abortInteraction(deps));

  router.get('/register', guard, showRegister(deps));
  router.post('/register', form, guard, submitRegister(deps));
  router.get('/register/activate', guard, showActivate(deps));
  router.post('/register/activate', form, guard, submitActivate(deps));
  router.post('/register/resend', form, guard, resendActivation(deps));
  router.get('/register/done', guard, showRegistered(deps));

  router.get('/reset', guard, showReset(deps));
  router.post('/reset', form, guard, submitReset(deps));
  router.get('/reset/code', guard, showResetCode(deps));
  router.post('/reset/code', form, guard, submitResetCode(deps));
  router.post('/reset/resend', form, guard, resendResetCode(deps));
  router.get('/reset/password', guard, showResetPassword(deps));
  router.post('/reset/password', form, guard, submitResetPassword(deps));
  router.get('/reset/done', guard, showResetDone(deps));

  router.get('/account', guard, showAccount(deps));
  router.get('/account/login', startAccountLogin(deps));
  router.get('/account/callback', accountCallback(deps));
  router.post('/account/grants/:id/revoke', form, guard, revokeGrant(deps));
  router.post('/account/password', form, guard, changePassword(deps));

  // An API for machines: a bearer token instead of a session, so no CSRF guard.
  router.post(REGISTRY_CHECK.path, verifyRegistryHolder(deps));

  const { outbox } = deps;
  if (outbox) router.get('/dev/outbox', guard, showOutbox({ ...deps, outbox }));
  return router;
}
