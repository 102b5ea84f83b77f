// Every string a person reads, Arabic first. Keys are stable: error codes from shared/errors.ts are keys here.

import { fillTemplate, localDigits } from '../shared/localText.js';
import { SERVICES } from '../shared/serviceRegistry.js';
import { ACCOUNT_MESSAGES } from './accountMessages.js';
import { CLAIM_MESSAGES } from './claimMessages.js';
import { INFO_PAGES } from './infoPages.js';

export { INFO_PAGE_NAMES, type InfoPageName } from './infoPages.js';

import { type FactorMessageKey, factorAr, factorEn } from './factorMessages.js';
import { NOTICE_MESSAGES } from './noticeMessages.js';
import { OUTBOX_MESSAGES } from './outboxMessages.js';
import { RESET_MESSAGES } from './resetMessages.js';
import { type SecurityMessageKey, securityAr, securityEn } from './securityMessages.js';

export type Locale = 'ar' | 'en';
export const LOCALES: readonly Locale[] = ['ar', 'en'];

const ar = {
  'app.name': 'هوية',
  'app.tagline': 'الهوية الرقمية الوطنية',
  'lang.switch': 'English',
  'nav.skip': 'انتقل إلى المحتوى',
  'home.title': 'هوية: الهوية الرقمية الوطنية',
  'home.intro': 'سجّل مرة واحدة، وفعّل هويتك، ثم ادخل إلى الخدمات الحكومية والخاصة بكلمة المرور ورمز التحقق.',
  'home.register': 'إنشاء حساب',
  'home.reset': 'نسيت كلمة المرور',
  'home.services': 'الخدمات',
  'home.outbox': 'صندوق الرسائل التجريبي (للتطوير فقط)',
  'login.title': 'تسجيل الدخول',
  'login.to': 'تسجيل الدخول إلى: {client}',
  'login.identifier': 'رقم الهوية أو اسم المستخدم',
  'login.password': 'كلمة المرور',
  'login.submit': 'دخول',
  'login.noAccount': 'ليس لديك حساب؟',
  'login.register': 'أنشئ حساباً',
  'login.forgot': 'نسيت كلمة المرور؟',
  'login.cancel': 'إلغاء والعودة إلى الخدمة',
  'otp.title': 'رمز التحقق',
  'otp.sentSms': 'أرسلنا رمزاً من 6 أرقام إلى جوالك المسجل {to}.',
  'otp.sentEmail': 'أرسلنا رمزاً من 6 أرقام إلى بريدك {to}.',
  'otp.code': 'رمز التحقق',
  'otp.submit': 'تحقق',
  'otp.resend': 'إعادة إرسال الرمز',
  'otp.useEmail': 'أرسل الرمز إلى بريدي الإلكتروني بدلاً من ذلك',
  'otp.useSms': 'أرسل الرمز إلى جوالي',
  'otp.emailNote': 'الرمز عبر البريد يمنح مستوى ثقة أدنى وقد لا تقبله بعض الخدمات.',
  'otp.smsNote':
    'الرمز عبر الرسائل النصية مقبول، لكن مفتاح المرور (البصمة أو الوجه) أكثر أماناً منه، وتضيفه من صفحة «حسابي».',
  'otp.resent': 'أرسلنا رمزاً جديداً.',
  'consent.title': 'الموافقة على مشاركة البيانات',
  'consent.intro': 'تطلب الخدمة «{client}» الوصول إلى البيانات التالية:',
  'consent.allow': 'موافق',
  'consent.deny': 'رفض',
  'consent.remember': 'ستُحفظ موافقتك، ويمكنك سحبها لاحقاً.',
  'consent.clientSite': 'موقع الخدمة:',
  'register.title': 'إنشاء حساب',
  'register.intro':
    'أدخل بياناتك كما في السجل المدني. سنرسل رمز التفعيل إلى رقم الجوال المسجل في السجل المدني.',
  'register.nationalId': 'رقم الهوية الوطنية أو الإقامة',
  'register.nationalIdHint': '10 أرقام تبدأ بـ 1 للمواطن أو 2 للمقيم',
  'register.birthDate': 'تاريخ الميلاد',
  'register.username': 'اسم المستخدم',
  'register.usernameHint': 'من 3 إلى 32 حرفاً أو رقماً، ويمكن استخدام . و _ و -',
  'register.password': 'كلمة المرور',
  'register.passwordHint': '8 أحرف على الأقل. يُسمح بالمسافات وبأي لغة. عبارة طويلة أفضل من كلمة معقدة.',
  'register.email': 'البريد الإلكتروني (اختياري)',
  'register.submit': 'متابعة',
  'activate.title': 'تفعيل الحساب',
  'activate.sent':
    'إن طابقت البيانات السجل المدني، فقد أرسلنا رسالة إلى الجوال المسجل فيه: أدخل الرمز الذي فيها (صالح لمدة 5 دقائق). إن لم تصلك رسالة فتحقق من رقم الهوية وتاريخ الميلاد.',
  'activate.submit': 'تفعيل',
  'activate.done': 'تم تفعيل حسابك',
  'activate.doneText': 'يمكنك الآن تسجيل الدخول إلى الخدمات باسم المستخدم أو رقم الهوية وكلمة المرور.',
  'activate.continue': 'متابعة تسجيل الدخول',
  'code.long':
    'أُدخلت رموز خاطئة كثيرة لهذا الرقم، لذلك نرسل رمزاً أطول: 16 حرفاً ورقماً (لا تهم الشرطات ولا المسافات).',
  'logout.title': 'تسجيل الخروج',
  'logout.question': 'هل تريد تسجيل الخروج من هوية وجميع الخدمات؟',
  'logout.yes': 'نعم، سجّل خروجي',
  'logout.no': 'الخروج من هذه الخدمة فقط',
  'logout.done': 'تم تسجيل خروجك',
  'logout.doneText': 'أنهينا جلستك وأبلغنا الخدمات التي دخلت إليها.',
  'error.title': 'تعذّر إكمال الطلب',
  'error.back': 'العودة إلى الصفحة الرئيسية',
  'form.errorsTitle': 'يرجى تصحيح ما يلي:',
  'app.authority': 'المنصة الوطنية للهوية الرقمية',
  'app.copyright': '© هوية',
  'app.devTool': 'أداة تطوير',
  'nav.main': 'روابط الموقع',
  'home.signIn': 'تسجيل الدخول',
  'home.signInHint': 'لديك حساب؟ ادخل لإدارة خدماتك المتصلة وكلمة المرور.',
  'home.registerHint': 'أول مرة؟ يكفي رقم هويتك وتاريخ ميلادك وجوالك المسجل في السجل المدني.',
  'home.devIntro': 'يظهر هذا القسم في بيئة التطوير فقط.',
  'form.error': 'خطأ:',
  'form.calendar': 'التقويم',
  'form.gregorian': 'ميلادي',
  'form.hijri': 'هجري',
  'register.birthDateHint': 'السنة-الشهر-اليوم، مثل 1990-05-21 أو 1410-10-26 بالهجري.',
  'register.startAgain': 'ابدأ التسجيل من جديد',
  'activate.code': 'رمز التفعيل',
  'otp.startAgain': 'ابدأ تسجيل الدخول من جديد',
  'wait.countdown': 'الوقت المتبقي: {time}',
  'wait.ready': 'يمكنك المحاولة الآن.',
  'error.developer': 'تفاصيل لمطوّري الخدمة',
  'error.startAgain': 'ابدأ من جديد',
  'error.toService': 'العودة إلى «{service}»',
  'error.toServiceHint': 'إن كنت قد سجّلت الدخول فستجد نفسك داخل الخدمة، وإلا فابدأ الدخول من هناك.',
  'oauth.invalid_request': 'الخدمة التي أرسلتك أرسلت طلب دخول ناقصاً أو غير صحيح.',
  'oauth.invalid_client': 'الخدمة التي أرسلتك غير مسجلة لدى هوية.',
  'oauth.invalid_redirect_uri':
    'عنوان العودة الذي أرسلته الخدمة غير مسجل لدى هوية، فلم نُعِدك إليه حفاظاً على أمانك.',
  'oauth.invalid_scope': 'طلبت الخدمة بيانات غير مسموح لها بها.',
  'oauth.unsupported_response_type': 'الخدمة تستخدم طريقة دخول لا تدعمها هوية.',
  'oauth.other': 'لم نتمكن من إكمال طلب الدخول الذي أرسلته الخدمة.',
  // errors
  bad_credentials: 'رقم الهوية أو اسم المستخدم أو كلمة المرور غير صحيحة.',
  account_locked:
    'أُوقف حسابك مؤقتاً بسبب محاولات خاطئة متكررة. حاول بعد {minutes, plural, one {دقيقة واحدة} two {دقيقتين} few {# دقائق} other {# دقيقة}}.',
  codes_blocked: 'أُدخلت رموز خاطئة كثيرة لهذا الرقم. اطلب رمزاً جديداً وسنرسل إلى الجوال المسجل رمزاً أطول.',
  account_suspended: 'أوقفت الجهة المشغلة هذا الحساب. تواصل مع الدعم لاستعادته.',
  account_disabled: 'أُوقف حسابك بسبب كثرة المحاولات الخاطئة. أعد تعيين كلمة المرور لاستعادته.',
  too_many_attempts:
    'محاولات كثيرة. انتظر {seconds, plural, one {ثانية واحدة} two {ثانيتين} few {# ثوانٍ} other {# ثانية}} ثم حاول مرة أخرى.',
  code_invalid:
    'الرمز غير صحيح. {remaining, plural, zero {لم تبقَ لك محاولات} one {تبقّت لك محاولة واحدة} two {تبقّت لك محاولتان} few {تبقّت لك # محاولات} other {تبقّت لك # محاولة}}.',
  code_expired: 'انتهت صلاحية الرمز أو استُخدم من قبل. اطلب رمزاً جديداً.',
  code_void: 'أدخلت رمزاً خاطئاً مرات كثيرة فلم يعد هذا الرمز صالحاً. اطلب رمزاً جديداً أو ابدأ من جديد.',
  resend_too_soon:
    'يمكنك طلب رمز جديد بعد {seconds, plural, one {ثانية واحدة} two {ثانيتين} few {# ثوانٍ} other {# ثانية}}.',
  delivery_failed: 'تعذّر إرسال الرمز الآن. حاول مرة أخرى بعد قليل.',
  flow_expired: 'انتهت صلاحية هذه الخطوة. ابدأ من جديد.',
  csrf_failed: 'انتهت صلاحية النموذج أو أُرسل من موقع آخر. أعد تحميل الصفحة وحاول مرة أخرى.',
  not_found: 'الصفحة غير موجودة.',
  registration_mismatch:
    'لم نتمكن من التسجيل بهذه البيانات. تأكد من رقم الهوية وتاريخ الميلاد، وإن كان لديك حساب فاستخدم «نسيت كلمة المرور».',
  national_id_format: 'رقم الهوية يجب أن يتكون من 10 أرقام.',
  national_id_type: 'رقم الهوية يجب أن يبدأ بـ 1 (مواطن) أو 2 (مقيم).',
  national_id_checksum: 'رقم الهوية غير صحيح: تحقق من الأرقام.',
  birth_date_invalid: 'أدخل تاريخ ميلاد صحيحاً.',
  username_invalid: 'اسم المستخدم من 3 إلى 32 حرفاً أو رقماً (و . _ -)، ولا يكون أرقاماً فقط.',
  username_taken_register_again:
    'تأكدنا من جوالك، لكن اسم المستخدم الذي اخترته محجوز. سجّل من جديد باسم مستخدم آخر.',
  email_invalid: 'أدخل بريداً إلكترونياً صحيحاً أو اتركه فارغاً.',
  no_email_on_file: 'لا يوجد بريد إلكتروني في حسابك.',
  code_required: 'أدخل الرمز أولاً.',
  current_password_wrong: 'كلمة المرور الحالية غير صحيحة.',
  code_format: 'الرمز 6 أرقام.',
  code_format_any: 'الرمز 6 أرقام، أو 16 حرفاً ورقماً إن أرسلنا رمزاً أطول.',
  password_too_short: 'كلمة المرور قصيرة: {min, plural, few {# أحرف} many {# حرفاً} other {# حرف}} على الأقل.',
  password_too_long:
    'كلمة المرور طويلة جداً: {max, plural, few {# أحرف} many {# حرفاً} other {# حرف}} على الأكثر.',
  password_common: 'كلمة المرور شائعة أو ظهرت في تسريبات سابقة. اختر عبارة أخرى.',
  password_contains_username: 'كلمة المرور يجب ألا تحتوي على اسم المستخدم.',
  password_contains_national_id: 'كلمة المرور يجب ألا تحتوي على رقم الهوية.',
  password_repetitive: 'كلمة المرور متكررة أو متسلسلة. اختر عبارة أخرى.',
  password_service_name: 'كلمة المرور يجب ألا تحتوي على اسم الخدمة.',
  server_error: 'حدث خطأ غير متوقع. حاول مرة أخرى.',
  service_unavailable: 'الخدمة غير متاحة مؤقتاً. لم يُحفظ شيء من طلبك؛ حاول مرة أخرى بعد قليل.',
  bad_request: 'الطلب غير صالح. أعد تحميل الصفحة وحاول مرة أخرى.',
  interaction_expired: 'انتهت صلاحية طلب الدخول. عد إلى الخدمة وابدأ من جديد.',
} as const;

export type MessageKey =
  | keyof typeof ar
  | keyof (typeof ACCOUNT_MESSAGES)['ar']
  | keyof (typeof CLAIM_MESSAGES)['ar']
  | keyof (typeof OUTBOX_MESSAGES)['ar']
  | keyof (typeof RESET_MESSAGES)['ar']
  | keyof (typeof NOTICE_MESSAGES)['ar']
  | keyof (typeof INFO_PAGES)['ar']
  | SecurityMessageKey
  | FactorMessageKey;

const en: Record<keyof typeof ar, string> = {
  'app.name': 'Hawiya',
  'app.tagline': 'National digital identity',
  'lang.switch': 'العربية',
  'nav.skip': 'Skip to content',
  'home.title': 'Hawiya: national digital identity',
  'home.intro':
    'Register once, activate your identity, then sign in to government and private services with your password and a one-time code.',
  'home.register': 'Create an account',
  'home.reset': 'Forgot password',
  'home.services': 'Services',
  'home.outbox': 'Dev mailbox (development only)',
  'login.title': 'Sign in',
  'login.to': 'Sign in to: {client}',
  'login.identifier': 'National ID or username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.noAccount': 'No account yet?',
  'login.register': 'Create one',
  'login.forgot': 'Forgot your password?',
  'login.cancel': 'Cancel and return to the service',
  'otp.title': 'Verification code',
  'otp.sentSms': 'We sent a 6-digit code to your registered mobile {to}.',
  'otp.sentEmail': 'We sent a 6-digit code to your e-mail {to}.',
  'otp.code': 'Verification code',
  'otp.submit': 'Verify',
  'otp.resend': 'Send a new code',
  'otp.useEmail': 'Send the code to my e-mail instead',
  'otp.useSms': 'Send the code to my mobile',
  'otp.emailNote': 'A code by e-mail gives a lower assurance level; some services may not accept it.',
  'otp.smsNote':
    'A code by text message works, but a passkey (fingerprint or face) is safer: add one on your account page.',
  'otp.resent': 'We sent a new code.',
  'consent.title': 'Share your data?',
  'consent.intro': 'The service “{client}” asks for:',
  'consent.allow': 'Allow',
  'consent.deny': 'Deny',
  'consent.remember': 'Your consent is remembered; you can withdraw it later.',
  'consent.clientSite': 'The service’s website:',
  'register.title': 'Create an account',
  'register.intro':
    'Enter your details as in the civil registry. We send the activation code to the mobile number on record in the civil registry.',
  'register.nationalId': 'National ID or residence number',
  'register.nationalIdHint': '10 digits, starting with 1 (citizen) or 2 (resident)',
  'register.birthDate': 'Date of birth',
  'register.username': 'Username',
  'register.usernameHint': '3 to 32 letters or digits; . _ and - are allowed',
  'register.password': 'Password',
  'register.passwordHint':
    'At least 8 characters. Spaces and any language are fine. A long phrase beats a complex word.',
  'register.email': 'E-mail (optional)',
  'register.submit': 'Continue',
  'activate.title': 'Activate your account',
  'activate.sent':
    'If the details match the civil registry, we sent a message to the mobile number registered there: enter the code from it (valid for 5 minutes). No message? Check your national ID and date of birth.',
  'activate.submit': 'Activate',
  'activate.done': 'Your account is active',
  'activate.doneText': 'You can now sign in to services with your username or national ID and your password.',
  'activate.continue': 'Continue to sign in',
  'code.long':
    'Many wrong codes were entered for this ID, so we send a longer code: 16 letters and digits (dashes and spaces do not matter).',
  'logout.title': 'Sign out',
  'logout.question': 'Do you want to sign out of Hawiya and every service?',
  'logout.yes': 'Yes, sign me out',
  'logout.no': 'Sign out of this service only',
  'logout.done': 'You are signed out',
  'logout.doneText': 'We ended your session and told the services you had signed in to.',
  'error.title': 'We could not complete the request',
  'error.back': 'Back to the home page',
  'form.errorsTitle': 'Please correct the following:',
  'app.authority': 'National Digital Identity Platform',
  'app.copyright': '© Hawiya',
  'app.devTool': 'Development tool',
  'nav.main': 'Site links',
  'home.signIn': 'Sign in',
  'home.signInHint': 'Have an account? Sign in to manage your connected services and password.',
  'home.registerHint':
    'First time? You need your national ID, date of birth and the mobile on record in the civil registry.',
  'home.devIntro': 'This section appears in development only.',
  'form.error': 'Error:',
  'form.calendar': 'Calendar',
  'form.gregorian': 'Gregorian',
  'form.hijri': 'Hijri',
  'register.birthDateHint': 'Year-month-day, for example 1990-05-21, or 1410-10-26 in the Hijri calendar.',
  'register.startAgain': 'Start the registration again',
  'activate.code': 'Activation code',
  'otp.startAgain': 'Start signing in again',
  'wait.countdown': 'Time left: {time}',
  'wait.ready': 'You can try again now.',
  'error.developer': 'Details for the service’s developers',
  'error.startAgain': 'Start again',
  'error.toService': 'Go back to {service}',
  'error.toServiceHint': 'If you are signed in, you go straight in; if not, sign in from there.',
  'oauth.invalid_request': 'The service that sent you here sent an incomplete or wrong sign-in request.',
  'oauth.invalid_client': 'The service that sent you here is not registered with Hawiya.',
  'oauth.invalid_redirect_uri':
    'The return address the service sent is not registered with Hawiya, so for your safety we did not send you there.',
  'oauth.invalid_scope': 'The service asked for data it is not allowed to receive.',
  'oauth.unsupported_response_type': 'The service uses a way of signing in that Hawiya does not support.',
  'oauth.other': 'We could not complete the sign-in request the service sent.',
  bad_credentials: 'The national ID, username or password is not correct.',
  account_locked:
    'Your account is locked for a while after repeated wrong attempts. Try again in {minutes, plural, one {# minute} other {# minutes}}.',
  codes_blocked:
    'Too many wrong codes were entered for this ID. Ask for a new code: we will send a longer one to the registered mobile.',
  account_suspended: 'This account has been suspended by the operator. Contact support to restore it.',
  account_disabled:
    'Your account is disabled after too many wrong attempts. Reset your password to restore it.',
  too_many_attempts:
    'Too many attempts. Wait {seconds, plural, one {# second} other {# seconds}} and try again.',
  code_invalid: 'The code is not correct. {remaining, plural, one {# try left} other {# tries left}}.',
  code_expired: 'The code has expired or was already used. Ask for a new one.',
  code_void: 'Too many wrong codes: this code no longer works. Ask for a new code or start again.',
  resend_too_soon: 'You can ask for a new code in {seconds, plural, one {# second} other {# seconds}}.',
  delivery_failed: 'We could not send the code just now. Please try again shortly.',
  flow_expired: 'This step has expired. Please start again.',
  csrf_failed: 'The form expired or was sent from another site. Reload the page and try again.',
  not_found: 'Page not found.',
  registration_mismatch:
    'We could not register you with these details. Check your national ID and date of birth; if you already have an account, use “Forgot password”.',
  national_id_format: 'The national ID must be 10 digits.',
  national_id_type: 'The national ID must start with 1 (citizen) or 2 (resident).',
  national_id_checksum: 'The national ID is not valid: check the digits.',
  birth_date_invalid: 'Enter a valid date of birth.',
  username_invalid: 'The username is 3 to 32 letters or digits (and . _ -), not digits only.',
  username_taken_register_again:
    'Your mobile is confirmed, but the username you chose is taken. Please register again with another username.',
  email_invalid: 'Enter a valid e-mail address or leave it empty.',
  no_email_on_file: 'There is no e-mail address on your account.',
  code_required: 'Enter the code first.',
  current_password_wrong: 'The current password is not correct.',
  code_format: 'The code is 6 digits.',
  code_format_any: 'The code is 6 digits, or 16 letters and digits when we sent a longer one.',
  password_too_short:
    'The password is too short: at least {min, plural, one {# character} other {# characters}}.',
  password_too_long:
    'The password is too long: at most {max, plural, one {# character} other {# characters}}.',
  password_common: 'This password is common or appeared in past breaches. Choose another phrase.',
  password_contains_username: 'The password must not contain your username.',
  password_contains_national_id: 'The password must not contain your national ID.',
  password_repetitive: 'The password is repetitive or a sequence. Choose another phrase.',
  password_service_name: 'The password must not contain the service name.',
  server_error: 'Something went wrong. Please try again.',
  service_unavailable:
    'The service is temporarily unavailable. Nothing of your request was saved; please try again shortly.',
  bad_request: 'The request is not valid. Reload the page and try again.',
  interaction_expired: 'This sign-in request has expired. Go back to the service and start again.',
};

// The civil-affairs services' scopes are described once, in their registry descriptors.
const serviceScopes = (locale: Locale): Record<string, string> =>
  Object.fromEntries(SERVICES.map((s) => [`claim.${s.scope}`, s.scopeText[locale]]));

const CATALOGUES: Record<Locale, Record<string, string>> = {
  ar: {
    ...serviceScopes('ar'),
    ...ar,
    ...ACCOUNT_MESSAGES.ar,
    ...CLAIM_MESSAGES.ar,
    ...OUTBOX_MESSAGES.ar,
    ...RESET_MESSAGES.ar,
    ...NOTICE_MESSAGES.ar,
    ...INFO_PAGES.ar,
    ...securityAr,
    ...factorAr,
  },
  en: {
    ...serviceScopes('en'),
    ...en,
    ...ACCOUNT_MESSAGES.en,
    ...CLAIM_MESSAGES.en,
    ...OUTBOX_MESSAGES.en,
    ...RESET_MESSAGES.en,
    ...NOTICE_MESSAGES.en,
    ...INFO_PAGES.en,
    ...securityEn,
    ...factorEn,
  },
};

/** Every key of a catalogue (the translation test compares them). */
export function messageKeys(locale: Locale): string[] {
  return Object.keys(CATALOGUES[locale]);
}

/** True when translate() knows the key (a service scope's `claim.<scope>` included). */
export function hasMessage(key: string): key is MessageKey {
  return key in CATALOGUES.ar;
}

/** A message's template as written, plural forms and `{params}` unfilled. */
export function messageTemplate(locale: Locale, key: MessageKey): string {
  return CATALOGUES[locale][key] ?? CATALOGUES.ar[key] ?? key;
}

/** A message with its parameters and plural forms filled (Latin digits: also for SMS, e-mail and logs). */
export function translate(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return fillTemplate(locale, messageTemplate(locale, key), params);
}

/** A message as a page shows it: translated, with the language's digits (Arabic-Indic on Arabic pages). */
export function pageText(
  locale: Locale,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  return localDigits(locale, translate(locale, key, params));
}

/** Picks ar or en from a list of language tags (ui_locales, Accept-Language), Arabic by default. */
export function pickLocale(candidates: (string | undefined)[]): Locale {
  for (const c of candidates) {
    if (!c) continue;
    for (const tag of c.split(/[\s,]+/)) {
      const lang = tag.split(';')[0]?.trim().toLowerCase().slice(0, 2);
      if (lang === 'ar' || lang === 'en') return lang;
    }
  }
  return 'ar';
}
