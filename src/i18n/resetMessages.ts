// The forgotten-password pages, Arabic first.

const ar = {
  'reset.title': 'إعادة تعيين كلمة المرور',
  'reset.intro': 'أدخل رقم الهوية وتاريخ الميلاد. سنرسل رمزاً إلى الجوال المسجل في السجل المدني.',
  'reset.submit': 'إرسال الرمز',
  'reset.codeTitle': 'أدخل الرمز',
  'reset.sent':
    'إن طابقت البيانات حساباً في هوية، فقد أرسلنا رمز إعادة التعيين إلى الجوال المسجل في السجل المدني، صالحاً لمدة 5 دقائق. إن لم يصلك فتحقق من رقم الهوية وتاريخ الميلاد.',
  'reset.newPassword': 'كلمة المرور الجديدة',
  'reset.save': 'حفظ كلمة المرور',
  'reset.done': 'تم تغيير كلمة المرور',
  'reset.doneText': 'أنهينا جميع جلساتك السابقة. سجّل الدخول بكلمة المرور الجديدة.',
  'reset.code': 'رمز إعادة التعيين',
  'reset.codeSubmit': 'متابعة',
  'reset.startAgain': 'ابدأ إعادة التعيين من جديد',
} as const;

const en: Record<keyof typeof ar, string> = {
  'reset.title': 'Reset your password',
  'reset.intro':
    'Enter your national ID and date of birth. We send a code to the mobile on record in the civil registry.',
  'reset.submit': 'Send the code',
  'reset.codeTitle': 'Enter the code',
  'reset.sent':
    'If the details match a Hawiya account, we sent a reset code to the mobile number registered in the civil registry, valid for 5 minutes. No code? Check your national ID and date of birth.',
  'reset.newPassword': 'New password',
  'reset.save': 'Save the password',
  'reset.done': 'Your password has been changed',
  'reset.doneText': 'We ended all your previous sessions. Sign in with your new password.',
  'reset.code': 'Reset code',
  'reset.codeSubmit': 'Continue',
  'reset.startAgain': 'Start the reset again',
};

export const RESET_MESSAGES = { ar, en };
