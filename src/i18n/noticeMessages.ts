// What Hawiya sends by SMS and e-mail (codes and notices), Arabic first; each notice carries both languages,
// since a person may read it on a phone set to either.

const ar = {
  'code.subject.activation': 'رمز تفعيل هوية',
  'code.subject.login': 'رمز الدخول إلى هوية',
  'code.subject.reset': 'رمز إعادة تعيين كلمة المرور',
  'notice.password_changed.subject': 'تم تغيير كلمة مرور حسابك في هوية',
  'notice.password_changed.text':
    'غُيّرت كلمة مرور حسابك في هوية وأُنهيت جميع جلساتك. إن لم تكن أنت، أعد تعيين كلمة المرور فوراً وتواصل مع الدعم.\n\nYour Hawiya password was changed and all your sessions were ended. If this was not you, reset your password now and contact support.',
  'notice.already_registered.subject': 'محاولة إنشاء حساب برقم هويتك في هوية',
  'notice.already_registered.text':
    'طلب أحدٌ إنشاء حساب في هوية برقم هويتك، ولديك حساب بالفعل. إن كنت أنت فسجّل الدخول أو استخدم «نسيت كلمة المرور». وإن لم تكن أنت فلا يلزمك شيء.\n\nSomeone asked to create a Hawiya account with your national ID, and you already have one. If it was you, sign in or use “Forgot password”. If not, you need do nothing.',
  'notice.codes_blocked.subject': 'رموز خاطئة كثيرة لرقم هويتك في هوية',
  'notice.codes_blocked.text':
    'أُدخلت رموز خاطئة كثيرة لرقم هويتك في هوية. لحمايتك صارت الرموز التي نرسلها إلى هذا الجوال أطول (16 حرفاً ورقماً). إن لم تكن أنت فلا تشارك أي رمز مع أحد.\n\nMany wrong codes were entered for your national ID at Hawiya. To protect you, the codes we send to this mobile are now longer (16 letters and digits). If this was not you, share no code with anyone.',
  'notice.account_disabled.subject': 'أُوقف حسابك في هوية',
  'notice.account_disabled.text':
    'أُوقف حسابك في هوية بعد محاولات دخول خاطئة كثيرة، وأُنهيت جلساتك. لاستعادته استخدم «نسيت كلمة المرور»: يصل الرمز إلى الجوال المسجل في السجل المدني.\n\nYour Hawiya account was disabled after many wrong sign-in attempts, and your sessions were ended. To restore it, use “Forgot password”: the code goes to the mobile registered in the civil registry.',
  'code.email':
    'رمز التحقق الخاص بك هو {code}، وهو صالح لمدة {minutes} دقائق. لا تشاركه مع أحد.\n\nYour Hawiya code is {code}, valid for {minutes} minutes. Do not share it.',
} as const;

const en: Record<keyof typeof ar, string> = {
  'code.subject.activation': 'Your Hawiya activation code',
  'code.subject.login': 'Your Hawiya sign-in code',
  'code.subject.reset': 'Your Hawiya password reset code',
  'notice.password_changed.subject': 'Your Hawiya password was changed',
  'notice.password_changed.text':
    'Your Hawiya password was changed and all your sessions were ended. If this was not you, reset your password now and contact support.\n\nغُيّرت كلمة مرور حسابك في هوية وأُنهيت جميع جلساتك.',
  'notice.already_registered.subject': 'Someone tried to create a Hawiya account with your ID',
  'notice.already_registered.text':
    'Someone asked to create a Hawiya account with your national ID, and you already have one. If it was you, sign in or use “Forgot password”. If not, you need do nothing.\n\nطلب أحدٌ إنشاء حساب في هوية برقم هويتك، ولديك حساب بالفعل. إن كنت أنت فسجّل الدخول أو استخدم «نسيت كلمة المرور». وإن لم تكن أنت فلا يلزمك شيء.',
  'notice.codes_blocked.subject': 'Many wrong codes for your ID at Hawiya',
  'notice.codes_blocked.text':
    'Many wrong codes were entered for your national ID at Hawiya. To protect you, the codes we send to this mobile are now longer (16 letters and digits). If this was not you, share no code with anyone.\n\nأُدخلت رموز خاطئة كثيرة لرقم هويتك في هوية. لحمايتك صارت الرموز التي نرسلها إلى هذا الجوال أطول (16 حرفاً ورقماً). إن لم تكن أنت فلا تشارك أي رمز مع أحد.',
  'notice.account_disabled.subject': 'Your Hawiya account was disabled',
  'notice.account_disabled.text':
    'Your Hawiya account was disabled after many wrong sign-in attempts, and your sessions were ended. To restore it, use “Forgot password”: the code goes to the mobile registered in the civil registry.\n\nأُوقف حسابك في هوية بعد محاولات دخول خاطئة كثيرة، وأُنهيت جلساتك. لاستعادته استخدم «نسيت كلمة المرور»: يصل الرمز إلى الجوال المسجل في السجل المدني.',
  'code.email':
    'Your Hawiya code is {code}, valid for {minutes} minutes. Do not share it.\n\nرمز التحقق الخاص بك هو {code}، وهو صالح لمدة {minutes} دقائق.',
};

export const NOTICE_MESSAGES = { ar, en };
