// The footer's pages (help, privacy, accessibility, contact), Arabic first. Paragraphs are separated by a
// blank line; the page shows each as its own paragraph.

const ar = {
  'footer.help': 'المساعدة',
  'footer.privacy': 'الخصوصية',
  'footer.accessibility': 'إمكانية الوصول',
  'footer.contact': 'تواصل معنا',
  'info.help.title': 'المساعدة',
  'info.help.body':
    'هوية حساب واحد للدخول إلى الخدمات الحكومية والخاصة. لإنشاء حساب يكفي رقم هويتك أو إقامتك وتاريخ ميلادك، ونرسل رمز التفعيل إلى رقم الجوال المسجل لك في السجل المدني.\n\nلم يصلك الرمز؟ تأكد من رقم الهوية وتاريخ الميلاد، وانتظر دقيقة ثم اطلب رمزاً جديداً. إن تغيّر رقم جوالك فحدّثه لدى الأحوال المدنية أولاً.\n\nنسيت كلمة المرور؟ استخدم «نسيت كلمة المرور» في صفحة الدخول: يصل الرمز إلى جوالك المسجل، ثم تختار كلمة مرور جديدة.',
  'info.privacy.title': 'الخصوصية',
  'info.privacy.body':
    'نأخذ من السجل المدني ما يلزم للتحقق من هويتك فقط: الاسم ورقم الهوية وتاريخ الميلاد والجوال المسجل.\n\nلا تحصل أي خدمة على بياناتك إلا بموافقتك أو لأنها خدمة حكومية مخوّلة، وتجد في «حسابي» كل خدمة سمحت لها ويمكنك سحب موافقتك منها.\n\nنسجّل عمليات الدخول والتغييرات لحمايتك، ولا نسجّل كلمات المرور ولا الرموز.',
  'info.accessibility.title': 'إمكانية الوصول',
  'info.accessibility.body':
    'صُممت صفحات هوية لتوافق معايير WCAG 2.2 بمستوى AA: تعمل بلوحة المفاتيح وحدها، ولكل حقل تسمية، وتقرؤها قارئات الشاشة بالعربية والإنجليزية، وتُفحص آلياً في كل إصدار.\n\nإن واجهت صعوبة في أي صفحة فأخبرنا عبر صفحة «تواصل معنا» واذكر الصفحة والجهاز والمتصفح.',
  'info.contact.title': 'تواصل معنا',
  'info.contact.body':
    'مركز الاتصال: 199099، من الأحد إلى الخميس، من 8 صباحاً حتى 8 مساءً.\n\nالبريد الإلكتروني: support@hawiya.example\n\nلن نطلب منك أبداً كلمة المرور أو رمز التحقق، لا هاتفياً ولا بالبريد.',
} as const;

const en: Record<keyof typeof ar, string> = {
  'footer.help': 'Help',
  'footer.privacy': 'Privacy',
  'footer.accessibility': 'Accessibility',
  'footer.contact': 'Contact us',
  'info.help.title': 'Help',
  'info.help.body':
    'Hawiya is one account for government and private services. To create one you need your national ID or residence number and your date of birth; we send the activation code to the mobile number registered for you in the civil registry.\n\nNo code? Check your national ID and date of birth, wait a minute, then ask for a new code. If your mobile number changed, update it with Civil Affairs first.\n\nForgot your password? Use “Forgot password” on the sign-in page: a code goes to your registered mobile, then you choose a new password.',
  'info.privacy.title': 'Privacy',
  'info.privacy.body':
    'We take from the civil registry only what is needed to check who you are: your name, national ID, date of birth and registered mobile.\n\nNo service receives your data unless you allow it or it is an authorised government service. “My account” lists every service you allowed, and you can withdraw your consent there.\n\nWe record sign-ins and changes to protect you; we never record passwords or codes.',
  'info.accessibility.title': 'Accessibility',
  'info.accessibility.body':
    'Hawiya’s pages are built to meet WCAG 2.2 level AA: they work with the keyboard alone, every field has a label, screen readers read them in Arabic and English, and they are checked automatically in every release.\n\nIf a page is hard to use, tell us through “Contact us”, naming the page, your device and your browser.',
  'info.contact.title': 'Contact us',
  'info.contact.body':
    'Contact centre: 199099, Sunday to Thursday, 8 am to 8 pm.\n\nE-mail: support@hawiya.example\n\nWe will never ask for your password or a verification code, by phone or by e-mail.',
};

export const INFO_PAGES = { ar, en };

/** The pages the footer links to, by path segment (`/help`, `/privacy`, …). */
export const INFO_PAGE_NAMES = ['help', 'privacy', 'accessibility', 'contact'] as const;
export type InfoPageName = (typeof INFO_PAGE_NAMES)[number];
