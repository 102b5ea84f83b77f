import Router from '@koa/router';
import { INFO_PAGE_NAMES } from '../i18n/messages.js';
import { formBody } from '../shared/formBody.js';
import { livenessAction, readinessAction } from '../shared/healthEndpoints.js';
import { REGISTRY_CHECK } from '../shared/serviceRegistry.js';
import { accountCallback } from './actions/account/accountCallback.js';
import { addPasskey } from './actions/account/addPasskey.js';
import { changePassword } from './actions/account/changePassword.js';
import { confirmApp } from './actions/account/confirmApp.js';
import { endOneSession } from './actions/account/endOneSession.js';
import { passkeyRegistrationOptions } from './actions/account/passkeyRegistrationOptions.js';
import { regenerateRecoveryCodes } from './actions/account/regenerateRecoveryCodes.js';
import { removeApp } from './actions/account/removeApp.js';
import { removePasskey } from './actions/account/removePasskey.js';
import { renamePasskey } from './actions/account/renamePasskey.js';
import { revokeGrant } from './actions/account/revokeGrant.js';
import { accountPage, showAccount } from './actions/account/showAccount.js';
import { appSetupPage, showAppSetup } from './actions/account/showAppSetup.js';
import { signOutEverywhere } from './actions/account/signOutEverywhere.js';
import { startAccountLogin } from './actions/account/startAccountLogin.js';
import { abortInteraction } from './actions/interaction/abortInteraction.js';
import { acceptPasskeyOffer } from './actions/interaction/acceptPasskeyOffer.js';
import { loginPage } from './actions/interaction/loginPage.js';
import { passkeyOfferOptions } from './actions/interaction/passkeyOfferOptions.js';
import { passkeyOptions } from './actions/interaction/passkeyOptions.js';
import { resendOtp } from './actions/interaction/resendOtp.js';
import { appCodePage, showAppCode } from './actions/interaction/showAppCode.js';
import { showInteraction } from './actions/interaction/showInteraction.js';
import { otpPage, showOtp } from './actions/interaction/showOtp.js';
import { passkeyFormPage, showPasskey } from './actions/interaction/showPasskey.js';
import { passkeyOfferPage, showPasskeyOffer } from './actions/interaction/showPasskeyOffer.js';
import { recoveryCodePage, showRecoveryCode } from './actions/interaction/showRecoveryCode.js';
import { skipPasskeyOffer } from './actions/interaction/skipPasskeyOffer.js';
import { submitAppCode } from './actions/interaction/submitAppCode.js';
import { submitConsent } from './actions/interaction/submitConsent.js';
import { submitOtp } from './actions/interaction/submitOtp.js';
import { submitPasskey } from './actions/interaction/submitPasskey.js';
import { submitPassword } from './actions/interaction/submitPassword.js';
import { submitRecoveryCode } from './actions/interaction/submitRecoveryCode.js';
import { serveStatic } from './actions/pages/serveStatic.js';
import { showHome } from './actions/pages/showHome.js';
import { showInfoPage } from './actions/pages/showInfoPage.js';
import { showOutbox } from './actions/pages/showOutbox.js';
import { resendActivation } from './actions/register/resendActivation.js';
import { activatePage, showActivate } from './actions/register/showActivate.js';
import { registerPage, showRegister } from './actions/register/showRegister.js';
import { showRegistered } from './actions/register/showRegistered.js';
import { submitActivate } from './actions/register/submitActivate.js';
import { submitRegister } from './actions/register/submitRegister.js';
import { verifyRegistryHolder } from './actions/registry/verifyRegistryHolder.js';
import { resendResetCode } from './actions/reset/resendResetCode.js';
import { resetPage, showReset } from './actions/reset/showReset.js';
import { resetCodePage, showResetCode } from './actions/reset/showResetCode.js';
import { showResetDone } from './actions/reset/showResetDone.js';
import { resetPasswordPage, showResetPassword } from './actions/reset/showResetPassword.js';
import { submitReset } from './actions/reset/submitReset.js';
import { submitResetCode } from './actions/reset/submitResetCode.js';
import { submitResetPassword } from './actions/reset/submitResetPassword.js';
import type { IdpDeps } from './deps.js';
import { csrf } from './middleware/csrf.js';
import { formErrors } from './middleware/formErrors.js';

/**
 * Every path of Hawiya's own pages; everything else falls through to oidc-provider. Each action gets only
 * what it uses; a form whose submission the domain refuses is shown again by formErrors (one place).
 */
export function createRouter(deps: IdpDeps, opts: { secure: boolean; origin: string }): Router {
  const router = new Router();
  const form = formBody({ limit: '16kb' });
  const guard = csrf(opts);
  const { provider, render, audit, flows } = deps;
  const { login, registration, passwordReset, rememberLocale, passkeyOffer } = deps.accounts;
  const { registerCookie, resetCookie } = deps;
  const { rp, cookie, sessions, grants, clients, disclosures, auditLog, endSessions, sessionDevices } =
    deps.account;

  router.get('/healthz', livenessAction());
  router.get('/readyz', readinessAction(deps.readiness));
  router.get('/', guard, showHome(deps));
  const statics = serveStatic();
  router.get('/static/:file', statics);
  router.get('/favicon.ico', statics);
  for (const page of INFO_PAGE_NAMES) router.get(`/${page}`, guard, showInfoPage({ render, page }));

  const loginForm = formErrors(loginPage({ provider, render }), { field: 'identifier' });
  const otpForm = otpPage({ login, render });
  router.get('/interaction/:uid', guard, showInteraction({ provider, render }));
  router.post('/interaction/:uid/login', form, guard, loginForm, submitPassword({ provider, login }));
  router.get('/interaction/:uid/otp', guard, showOtp({ provider, login, render }));
  router.post(
    '/interaction/:uid/otp',
    form,
    guard,
    formErrors(otpForm, { field: 'code' }),
    submitOtp({ provider, login, rememberLocale, passkeyOffer }),
  );
  router.post(
    '/interaction/:uid/otp/resend',
    form,
    guard,
    formErrors(otpForm),
    resendOtp({ provider, login }),
  );
  router.get('/interaction/:uid/app', guard, showAppCode({ provider, login, render }));
  router.post(
    '/interaction/:uid/app',
    form,
    guard,
    formErrors(appCodePage({ login, render }), { field: 'code' }),
    submitAppCode({ provider, login }),
  );
  router.get('/interaction/:uid/recovery', guard, showRecoveryCode({ provider, login, render }));
  router.post(
    '/interaction/:uid/recovery',
    form,
    guard,
    formErrors(recoveryCodePage({ login, render }), { field: 'code' }),
    submitRecoveryCode({ provider, login }),
  );
  router.post('/interaction/:uid/passkey/options', form, guard, passkeyOptions({ provider, login }));
  router.get('/interaction/:uid/passkey', guard, showPasskey({ provider, login, render }));
  router.post(
    '/interaction/:uid/passkey',
    form,
    guard,
    formErrors(passkeyFormPage({ provider, login, render })),
    submitPasskey({ provider, login, rememberLocale }),
  );
  const offering = { provider, passkeyOffer };
  router.get('/interaction/:uid/passkey-offer', guard, showPasskeyOffer({ ...offering, render }));
  router.post('/interaction/:uid/passkey-offer/options', form, guard, passkeyOfferOptions(offering));
  router.post(
    '/interaction/:uid/passkey-offer',
    form,
    guard,
    formErrors(passkeyOfferPage({ passkeyOffer, render })),
    acceptPasskeyOffer(offering),
  );
  router.post('/interaction/:uid/passkey-offer/skip', form, guard, skipPasskeyOffer(offering));
  router.post(
    '/interaction/:uid/consent',
    form,
    guard,
    submitConsent({ provider, audit, holdAnswerWrites: deps.holdAnswerWrites }),
  );
  router.post('/interaction/:uid/abort', form, guard, abortInteraction({ provider, login }));

  const registering = { registration, registerCookie };
  const activateForm = activatePage({ ...registering, render });
  router.get('/register', guard, showRegister({ render }));
  router.post('/register', form, guard, formErrors(registerPage({ render })), submitRegister(registering));
  router.get('/register/activate', guard, showActivate({ ...registering, render }));
  router.post(
    '/register/activate',
    form,
    guard,
    formErrors(activateForm, { field: 'code' }),
    submitActivate(registering),
  );
  router.post('/register/resend', form, guard, formErrors(activateForm), resendActivation(registering));
  router.get('/register/done', guard, showRegistered({ render }));

  const resetting = { passwordReset, resetCookie };
  const resetCodeForm = resetCodePage({ ...resetting, render });
  router.get('/reset', guard, showReset({ render }));
  router.post('/reset', form, guard, formErrors(resetPage({ render })), submitReset(resetting));
  router.get('/reset/code', guard, showResetCode({ ...resetting, render }));
  router.post(
    '/reset/code',
    form,
    guard,
    formErrors(resetCodeForm, { field: 'code' }),
    submitResetCode(resetting),
  );
  router.post('/reset/resend', form, guard, formErrors(resetCodeForm), resendResetCode(resetting));
  router.get('/reset/password', guard, showResetPassword({ ...resetting, render }));
  router.post(
    '/reset/password',
    form,
    guard,
    formErrors(resetPasswordPage({ render }), { field: 'password' }),
    submitResetPassword(resetting),
  );
  router.get('/reset/done', guard, showResetDone({ render }));

  const accountSession = { flows, cookie, sessions };
  const { passkeys, securityFactors, authenticatorApp } = deps.accounts;
  const pageDeps = {
    grants,
    clients,
    passkeys,
    authenticatorApp,
    disclosures,
    auditLog,
    sessions,
    sessionDevices,
    securityFactors,
    render,
  };
  const accountForm = formErrors(accountPage(pageDeps));
  router.get('/account', guard, showAccount({ ...accountSession, ...pageDeps }));
  router.get('/account/login', startAccountLogin({ ...accountSession, rp, securityFactors }));
  router.get('/account/callback', accountCallback({ rp, flows, cookie }));
  router.post(
    '/account/sessions/end',
    form,
    guard,
    signOutEverywhere({ ...accountSession, endSessions, audit, render }),
  );
  router.post(
    '/account/sessions/:uid/end',
    form,
    guard,
    endOneSession({ ...accountSession, endSessions, audit }),
  );
  router.post('/account/grants/:id/revoke', form, guard, revokeGrant({ ...accountSession, grants, audit }));
  router.post(
    '/account/password',
    form,
    guard,
    accountForm,
    changePassword({ ...accountSession, changePassword: deps.accounts.changePassword }),
  );
  const factors = { ...accountSession, securityFactors };
  router.post(
    '/account/passkeys/options',
    form,
    guard,
    passkeyRegistrationOptions({ ...accountSession, accounts: deps.accounts }),
  );
  router.post('/account/passkeys', form, guard, accountForm, addPasskey(factors));
  router.post('/account/passkeys/:id/rename', form, guard, accountForm, renamePasskey(factors));
  router.post('/account/passkeys/:id/remove', form, guard, accountForm, removePasskey(factors));
  const appDeps = { ...accountSession, accounts: deps.accounts, render };
  router.get('/account/app', guard, showAppSetup(appDeps));
  router.post(
    '/account/app',
    form,
    guard,
    formErrors(appSetupPage(appDeps), { field: 'code' }),
    confirmApp(appDeps),
  );
  router.post('/account/app/remove', form, guard, accountForm, removeApp(appDeps));
  router.post('/account/recovery-codes', form, guard, accountForm, regenerateRecoveryCodes(appDeps));

  // An API for machines: a bearer token instead of a session, so no CSRF guard.
  router.post(REGISTRY_CHECK.path, verifyRegistryHolder(deps));

  const { outbox } = deps;
  if (outbox) router.get('/dev/outbox', guard, showOutbox({ outbox, render }));
  return router;
}
