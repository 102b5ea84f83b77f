import { clockTime, gregorianDate, hijriDate, localDateOf, localMinutesOf } from './riyadhCalendar.js';

// The texts of the replacement service's SMS and e-mail (Arabic, then English): the domain sends them, from
// the service's pages and from the staff's CLI alike, so they live here rather than in a page catalogue.

const DOCS: Record<string, { ar: string; en: string }> = {
  national_id_card: { ar: 'بطاقة الهوية الوطنية', en: 'national ID card' },
  family_record: { ar: 'سجل الأسرة', en: 'family record' },
  birth_certificate: { ar: 'شهادة الميلاد', en: 'birth certificate' },
  death_certificate: { ar: 'شهادة الوفاة', en: 'death certificate' },
};

export function documentName(type: string, locale: 'ar' | 'en'): string {
  return DOCS[type]?.[locale] ?? type;
}

export type NoticeKind = 'booked' | 'reminder' | 'ready';

export interface Notice {
  subject: string;
  text: string;
}

/** One notice in both languages: an appointment booked or due tomorrow, or a document ready to collect. */
export function noticeText(opts: {
  kind: NoticeKind;
  reference: string;
  documentType: string;
  office?: { ar: string; en: string };
  startsAt?: number;
  collectionDate?: string;
}): Notice {
  const when = (locale: 'ar' | 'en') => {
    if (opts.startsAt === undefined) return '';
    const date = localDateOf(opts.startsAt);
    return `${gregorianDate(date, locale)} (${hijriDate(date, locale)}) ${clockTime(localMinutesOf(opts.startsAt))}`;
  };
  const collect = (locale: 'ar' | 'en') =>
    opts.collectionDate
      ? `${gregorianDate(opts.collectionDate, locale)} (${hijriDate(opts.collectionDate, locale)})`
      : '';
  const r = opts.reference;
  const ar = {
    booked: `حُجز موعدك لطلب بدل ${documentName(opts.documentType, 'ar')} (${r}) في ${opts.office?.ar ?? ''}: ${when('ar')}. أحضر صورتين شخصيتين 4×6 سم والنموذج 58 مطبوعاً.`,
    reminder: `تذكير: موعدك غداً في ${opts.office?.ar ?? ''} لطلب البدل ${r}: ${when('ar')}. أحضر صورتين شخصيتين 4×6 سم والنموذج 58.`,
    ready: `${documentName(opts.documentType, 'ar')} البديلة (الطلب ${r}) جاهزة للاستلام من ${collect('ar')}.`,
  }[opts.kind];
  const en = {
    booked: `Your appointment for the replacement ${documentName(opts.documentType, 'en')} (${r}) is booked at ${opts.office?.en ?? ''}: ${when('en')}. Bring two personal photos, 4x6 cm, and Form 58 printed.`,
    reminder: `Reminder: your appointment at ${opts.office?.en ?? ''} for replacement request ${r} is tomorrow: ${when('en')}. Bring two personal photos, 4x6 cm, and Form 58.`,
    ready: `Your replacement ${documentName(opts.documentType, 'en')} (request ${r}) can be collected from ${collect('en')}.`,
  }[opts.kind];
  const subjects = {
    booked: ['تأكيد موعد طلب بدل فاقد', 'Replacement appointment booked'],
    reminder: ['تذكير بموعد الغد', 'Your appointment is tomorrow'],
    ready: ['الوثيقة البديلة جاهزة', 'Your replacement document is ready'],
  }[opts.kind];
  return { subject: `${subjects[0]} · ${subjects[1]}`, text: `${ar}\n\n${en}` };
}
