// The authenticator-app and recovery-code strings, Arabic first (merged into the catalogue by messages.ts).

export const factorAr = {
  'app.title': 'رمز تطبيق المصادقة',
  'app.intro': 'اكتب الرمز المكوّن من 6 أرقام الظاهر الآن في تطبيق المصادقة.',
  'app.code': 'الرمز',
  'app.submit': 'تحقق',
  'app.useSms': 'أرسل إليّ رمزاً بالرسالة النصية بدلاً من ذلك',
  'otp.useApp': 'استخدم تطبيق المصادقة بدلاً من ذلك',
  'login.useRecovery': 'فقدت جوالك أو تطبيقك؟ استخدم رمز استرداد',
  'recovery.title': 'رمز الاسترداد',
  'recovery.intro': 'اكتب أحد رموز الاسترداد التي حفظتها. كل رمز يعمل مرة واحدة.',
  'recovery.code': 'رمز الاسترداد',
  'recovery.submit': 'تحقق',
  app_code_wrong: 'الرمز غير صحيح أو استُخدم من قبل. انتظر الرمز التالي في التطبيق ثم اكتبه.',
  recovery_code_wrong: 'رمز الاسترداد غير صحيح أو استُخدم من قبل.',
  'app.section': 'تطبيق المصادقة',
  'app.sectionIntro':
    'تطبيق في هاتفك (مثل Google Authenticator أو Microsoft Authenticator) يعطيك رمزاً جديداً كل 30 ثانية، دون رسائل نصية.',
  'app.none': 'لم تُضف تطبيق مصادقة بعد.',
  'app.setUp': 'أضف تطبيق مصادقة',
  'app.remove': 'احذف تطبيق المصادقة',
  'app.setupTitle': 'إضافة تطبيق مصادقة',
  'app.scan': 'افتح تطبيق المصادقة وامسح هذا الرمز.',
  'app.qrAlt': 'رمز QR يضيف حسابك في هوية إلى تطبيق المصادقة',
  'app.typeKey': 'لا تستطيع المسح؟ اكتب هذا المفتاح في التطبيق (مستند إلى الوقت):',
  'app.enterCode': 'اكتب الرمز الذي يظهر في التطبيق الآن',
  'app.confirm': 'أضف التطبيق',
  'app.back': 'عودة إلى حسابي',
  'security.appAdded': 'أضفنا تطبيق المصادقة، وأرسلنا إليك إشعاراً.',
  'security.appRemoved': 'حذفنا تطبيق المصادقة، وأرسلنا إليك إشعاراً.',
  'recovery.section': 'رموز الاسترداد',
  'recovery.sectionIntro':
    'إن فقدت هاتفك أو تطبيقك، يدخلك رمز استرداد بدل الرمز الثاني. احفظها في مكان آمن بعيداً عن هاتفك.',
  'recovery.left': 'بقي {left} من {total}.',
  'recovery.noneYet': 'لا توجد رموز استرداد بعد.',
  'recovery.generate': 'أنشئ رموز استرداد جديدة',
  'recovery.generateHint': 'الرموز القديمة تتوقف عن العمل.',
  'recovery.shownTitle': 'رموز الاسترداد',
  'recovery.shownIntro': 'احفظ هذه الرموز العشرة الآن، أو اطبعها: لن نعرضها مرة أخرى. كل رمز يعمل مرة واحدة.',
  'recovery.done': 'حفظتها، عودة إلى حسابي',
  'recovery.usedWarning':
    'دخلت برمز استرداد في {date}. أضف طريقة دخول جديدة (تطبيق مصادقة أو مفتاح مرور)، ثم أنشئ رموزاً جديدة.',
  'notice.totp_added.subject': 'أُضيف تطبيق مصادقة إلى حسابك في هوية',
  'notice.totp_added.text':
    'أُضيف تطبيق مصادقة إلى حسابك في هوية. إن لم تفعل ذلك فادخل إلى صفحة «حسابي» واحذفه، وغيّر كلمة المرور.',
  'notice.totp_removed.subject': 'حُذف تطبيق المصادقة من حسابك في هوية',
  'notice.totp_removed.text':
    'حُذف تطبيق المصادقة من حسابك في هوية. إن لم تفعل ذلك فادخل إلى صفحة «حسابي» وغيّر كلمة المرور.',
  'notice.recovery_codes_generated.subject': 'رموز استرداد جديدة لحسابك في هوية',
  'notice.recovery_codes_generated.text':
    'أُنشئت رموز استرداد جديدة لحسابك في هوية، وتوقفت القديمة. إن لم تفعل ذلك فادخل إلى صفحة «حسابي» وغيّر كلمة المرور.',
  'notice.recovery_code_used.subject': 'دخول برمز استرداد إلى حسابك في هوية',
  'notice.recovery_code_used.text':
    'استُخدم رمز استرداد للدخول إلى حسابك في هوية. إن لم تفعل ذلك فادخل إلى صفحة «حسابي» وغيّر كلمة المرور وأنشئ رموزاً جديدة.',
} as const;

export type FactorMessageKey = keyof typeof factorAr;

export const factorEn: Record<FactorMessageKey, string> = {
  'app.title': 'Authenticator app code',
  'app.intro': 'Enter the 6-digit code your authenticator app shows now.',
  'app.code': 'Code',
  'app.submit': 'Verify',
  'app.useSms': 'Send me a code by SMS instead',
  'otp.useApp': 'Use my authenticator app instead',
  'login.useRecovery': 'Lost your phone or app? Use a recovery code',
  'recovery.title': 'Recovery code',
  'recovery.intro': 'Enter one of the recovery codes you saved. Each code works once.',
  'recovery.code': 'Recovery code',
  'recovery.submit': 'Verify',
  app_code_wrong: 'That code is not right, or it was used already. Wait for the next code in your app.',
  recovery_code_wrong: 'That recovery code is not right, or it was used already.',
  'app.section': 'Authenticator app',
  'app.sectionIntro':
    'An app on your phone (such as Google Authenticator or Microsoft Authenticator) gives you a new code every 30 seconds, with no SMS.',
  'app.none': 'No authenticator app yet.',
  'app.setUp': 'Set up an authenticator app',
  'app.remove': 'Remove the authenticator app',
  'app.setupTitle': 'Set up an authenticator app',
  'app.scan': 'Open your authenticator app and scan this code.',
  'app.qrAlt': 'QR code that adds your Hawiya account to your authenticator app',
  'app.typeKey': "Can't scan? Type this key into the app (time-based):",
  'app.enterCode': 'Enter the code the app shows now',
  'app.confirm': 'Add the app',
  'app.back': 'Back to my account',
  'security.appAdded': 'The authenticator app was added, and we sent you a notice.',
  'security.appRemoved': 'The authenticator app was removed, and we sent you a notice.',
  'recovery.section': 'Recovery codes',
  'recovery.sectionIntro':
    'If you lose your phone or app, a recovery code signs you in in place of the second step. Keep them somewhere safe, away from your phone.',
  'recovery.left': '{left} of {total} left.',
  'recovery.noneYet': 'No recovery codes yet.',
  'recovery.generate': 'Create new recovery codes',
  'recovery.generateHint': 'The old codes stop working.',
  'recovery.shownTitle': 'Your recovery codes',
  'recovery.shownIntro':
    'Save these ten codes now, or print them: we will not show them again. Each code works once.',
  'recovery.done': 'I saved them, back to my account',
  'recovery.usedWarning':
    'You signed in with a recovery code on {date}. Add a new sign-in method (an authenticator app or a passkey), then create new codes.',
  'notice.totp_added.subject': 'An authenticator app was added to your Hawiya account',
  'notice.totp_added.text':
    'An authenticator app was added to your Hawiya account. If this was not you, remove it on your account page and change your password.',
  'notice.totp_removed.subject': 'The authenticator app was removed from your Hawiya account',
  'notice.totp_removed.text':
    'The authenticator app was removed from your Hawiya account. If this was not you, change your password on your account page.',
  'notice.recovery_codes_generated.subject': 'New recovery codes for your Hawiya account',
  'notice.recovery_codes_generated.text':
    'New recovery codes were created for your Hawiya account; the old ones stopped working. If this was not you, change your password on your account page.',
  'notice.recovery_code_used.subject': 'A recovery code was used to sign in to your Hawiya account',
  'notice.recovery_code_used.text':
    'A recovery code was used to sign in to your Hawiya account. If this was not you, change your password on your account page and create new codes.',
};
