import type { AccountsDeps } from './accountsDeps.js';
import { type Account, createAccountsRepo } from './accountsRepo.js';
import { createAccountWithPerson } from './accountWithPerson.js';
import { createAfterAnswer } from './afterAnswer.js';
import { createAttemptLimits } from './attemptLimits.js';
import { createAppsRepo } from './authenticatorApp/appsRepo.js';
import { createAuthenticatorApp } from './authenticatorApp/createAuthenticatorApp.js';
import { createRecoveryCodesRepo } from './authenticatorApp/recoveryCodesRepo.js';
import { createSecretBox } from './authenticatorApp/secretBox.js';
import { createCodeDelivery } from './codeDelivery.js';
import { createCheckPassword } from './login/checkPassword.js';
import { createLogin } from './login/createLogin.js';
import { createLoginCodes } from './login/loginCodes.js';
import { createLoginThrottle } from './login/loginThrottle.js';
import { createPasskeys } from './passkeys/createPasskeys.js';
import { createPasskeyOffer } from './passkeys/passkeyOffer.js';
import { createPasskeysRepo } from './passkeys/passkeysRepo.js';
import { createSecurityFactors } from './passkeys/securityFactors.js';
import { createChangePassword } from './password/createChangePassword.js';
import { createPasswordReset } from './passwordReset/createPasswordReset.js';
import { createRegistration } from './registration/createRegistration.js';

export type {
  AccountsDeps,
  CodeMessage,
  Locale,
  NoticeKind,
  NoticeMessage,
} from './accountsDeps.js';
export type { LoginStart } from './login/checkPassword.js';
export { RegistrationMismatch } from './personInputs.js';

/**
 * The accounts domain, wired from one set of dependencies: registration, login (with its factors),
 * password reset and change. Each part is handed on its own to the actions that use it.
 */
export function createAccounts(deps: AccountsDeps) {
  const repo = createAccountsRepo(deps.db);
  const flowTtlSeconds = deps.settings.otpTtlSeconds * 3;
  const afterAnswer = createAfterAnswer();
  const delivery = createCodeDelivery({ ...deps, afterAnswer });
  const limits = createAttemptLimits({ ...deps, notifyPerson: delivery.notifyPerson });
  const throttle = createLoginThrottle({
    ...deps,
    repo,
    notifyPerson: delivery.notifyPerson,
    recordThrottled: limits.recordThrottled,
  });
  const checkPassword = createCheckPassword({ ...deps, repo, limits, throttle });
  const codes = createLoginCodes({ ...deps, repo, delivery, throttle });
  const passkeysRepo = createPasskeysRepo(deps.db);
  const passkeys = createPasskeys({
    ...deps,
    repo: passkeysRepo,
    issuer: deps.passkeys.issuer,
    policy: deps.passkeys.policy,
  });
  const authenticatorApp = createAuthenticatorApp({
    ...deps,
    repo,
    apps: createAppsRepo(deps.db),
    recoveryCodes: createRecoveryCodesRepo(deps.db),
    box: createSecretBox(deps.secretsKey),
    delivery,
    throttle,
  });
  const securityFactors = createSecurityFactors({ ...deps, repo, passkeys, passkeysRepo, delivery });

  return {
    repo,
    registration: createRegistration({ ...deps, repo, delivery, limits, flowTtlSeconds }),
    login: createLogin({ ...deps, repo, checkPassword, codes, passkeys, authenticatorApp }),
    authenticatorApp,
    passkeys,
    securityFactors,
    passkeyOffer: createPasskeyOffer({ ...deps, repo, passkeys, securityFactors }),
    passwordReset: createPasswordReset({ ...deps, repo, delivery, limits, flowTtlSeconds }),
    changePassword: createChangePassword({ ...deps, repo, throttle, delivery }),

    /** Resolves once the work started after earlier answers (code delivery, notices) has ended. */
    idle: afterAnswer.idle,

    async findById(id: string): Promise<Account | undefined> {
      return repo.findById(id);
    },

    /** The language the person signed in with, kept as their `locale` claim for the services. */
    async rememberLocale(accountId: string, locale: 'ar' | 'en'): Promise<void> {
      await repo.setLocale(accountId, locale);
    },

    /** The account and its registry record in one read: what a token's claims are made of. */
    accountWithPerson: createAccountWithPerson(deps.db),
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
