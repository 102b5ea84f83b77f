// The account page's own words (who is signed in, connected services, the password change), Arabic first.

const ar = {
  'account.title': 'حسابي',
  'account.services': 'الخدمات التي سمحت لها ببياناتك',
  'account.none': 'لم تسمح لأي خدمة بعد.',
  'account.until': 'الموافقة سارية حتى {date}',
  'account.revoke': 'سحب الموافقة من {name}',
  'account.revoked': 'سحبنا موافقتك؛ ستطلب منك الخدمة الموافقة من جديد عند دخولك القادم.',
  'account.password': 'تغيير كلمة المرور',
  'account.currentPassword': 'كلمة المرور الحالية',
  'account.newPassword': 'كلمة المرور الجديدة',
  'account.passwordSubmit': 'تغيير كلمة المرور',
  'account.passwordChanged': 'غيّرنا كلمة المرور وأنهينا جلساتك في الخدمات، وأرسلنا إليك إشعاراً.',
  'account.signedInAs': 'أنت مسجّل الدخول',
  'account.name': 'الاسم',
  'account.nationalId': 'رقم الهوية',
  'account.signOut': 'تسجيل الخروج',
} as const;

const en: Record<keyof typeof ar, string> = {
  'account.title': 'My account',
  'account.services': 'Services you allowed to receive your data',
  'account.none': 'You have not allowed any service yet.',
  'account.until': 'Consent valid until {date}',
  'account.revoke': 'Withdraw consent from {name}',
  'account.revoked': 'Your consent was withdrawn; the service will ask again at your next sign-in.',
  'account.password': 'Change your password',
  'account.currentPassword': 'Current password',
  'account.newPassword': 'New password',
  'account.passwordSubmit': 'Change the password',
  'account.passwordChanged':
    'Your password was changed, your sessions at the services were ended, and we sent you a notice.',
  'account.signedInAs': 'You are signed in',
  'account.name': 'Name',
  'account.nationalId': 'National ID',
  'account.signOut': 'Sign out',
};

export const ACCOUNT_MESSAGES = { ar, en };
