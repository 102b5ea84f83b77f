// Every string a citizen reads on the civil-affairs services, Arabic first. The services keep their own
// catalogue: they are separate applications and must not import the identity provider's i18n.

export type RpLocale = 'ar' | 'en';

const ar = {
  'lang.switch': 'English',
  'nav.skip': 'انتقل إلى المحتوى',
  'brand.ministry': 'الأحوال المدنية',
  'nav.main': 'روابط الموقع',
  'footer.help': 'المساعدة',
  'footer.privacy': 'الخصوصية',
  'footer.accessibility': 'إمكانية الوصول',
  'footer.contact': 'تواصل معنا',
  'app.copyright': '© هوية',
  'home.signIn': 'الدخول عبر هوية',
  'home.poweredBy': 'بدعم من هوية، الهوية الرقمية الوطنية',
  'home.greeting': 'مرحباً، {name}',
  'home.nationalId': 'رقم الهوية',
  'home.signedInNote': 'أنت مسجّل الدخول عبر هوية.',
  'home.comingSoon': 'خدمات هذه الصفحة قيد الإعداد وستتوفر قريباً.',
  'home.signOut': 'تسجيل الخروج',
  'home.signedOut': 'تم تسجيل خروجك من هذه الخدمة ومن هوية.',
  'error.title': 'تعذّر إكمال الطلب',
  'error.back': 'العودة إلى الصفحة الرئيسية',
  'error.retry': 'حاول مرة أخرى',
  idp_unavailable: 'خدمة الهوية الرقمية غير متاحة حالياً. حاول مرة أخرى بعد قليل.',
  access_denied: 'لم يكتمل تسجيل الدخول: رفضت مشاركة بياناتك أو ألغيت العملية.',
  login_failed: 'تعذّر إكمال تسجيل الدخول. ابدأ من جديد.',
  login_expired: 'انتهت صلاحية طلب الدخول. ابدأ من جديد.',
  csrf_failed: 'انتهت صلاحية النموذج أو أُرسل من موقع آخر. أعد تحميل الصفحة وحاول مرة أخرى.',
  not_found: 'الصفحة غير موجودة.',
  bad_request: 'تعذّرت قراءة الطلب. أعد تحميل الصفحة وحاول مرة أخرى.',
  too_large: 'الطلب أكبر من المسموح. أعد تحميل الصفحة وحاول مرة أخرى.',
  server_error: 'حدث خطأ غير متوقع. حاول مرة أخرى.',
} as const;

export type RpMessageKey = keyof typeof ar;

const en: Record<RpMessageKey, string> = {
  'lang.switch': 'العربية',
  'nav.skip': 'Skip to content',
  'brand.ministry': 'Civil Affairs',
  'nav.main': 'Site links',
  'footer.help': 'Help',
  'footer.privacy': 'Privacy',
  'footer.accessibility': 'Accessibility',
  'footer.contact': 'Contact us',
  'app.copyright': '© Hawiya',
  'home.signIn': 'Sign in with Hawiya',
  'home.poweredBy': 'Powered by Hawiya, the national digital identity',
  'home.greeting': 'Welcome, {name}',
  'home.nationalId': 'National ID',
  'home.signedInNote': 'You are signed in with Hawiya.',
  'home.comingSoon': 'The features of this service are being prepared and will be available soon.',
  'home.signOut': 'Sign out',
  'home.signedOut': 'You have signed out of this service and of Hawiya.',
  'error.title': 'We could not complete the request',
  'error.back': 'Back to the home page',
  'error.retry': 'Try again',
  idp_unavailable: 'The national identity service is unavailable right now. Please try again shortly.',
  access_denied: 'Sign-in was not completed: you declined to share your data or cancelled.',
  login_failed: 'We could not complete the sign-in. Please start again.',
  login_expired: 'This sign-in request has expired. Please start again.',
  csrf_failed: 'The form expired or was sent from another site. Reload the page and try again.',
  not_found: 'Page not found.',
  bad_request: 'We could not read the request. Reload the page and try again.',
  too_large: 'The request is larger than allowed. Reload the page and try again.',
  server_error: 'Something went wrong. Please try again.',
};

const CATALOGUES: Record<RpLocale, Record<RpMessageKey, string>> = { ar, en };

export function hasRpMessage(key: string): key is RpMessageKey {
  return key in ar;
}

export function rpTranslate(
  locale: RpLocale,
  key: RpMessageKey,
  params: Record<string, string> = {},
): string {
  return CATALOGUES[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`);
}
