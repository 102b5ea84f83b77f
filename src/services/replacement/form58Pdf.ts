import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { documentName } from '../../replacements/notices.js';
import {
  clockTime,
  gregorianDate,
  hijriDate,
  localDateOf,
  localMinutesOf,
} from '../../replacements/riyadhCalendar.js';
import { visualRuns } from './rtlText.js';

// The Arabic font ships in an npm package (Noto Naskh Arabic, SIL Open Font License): its Arabic and Latin
// subsets, which fontkit (inside pdfkit) reads as WOFF and embeds as subsets.
const FONT_DIR = join(
  dirname(createRequire(import.meta.url).resolve('@fontsource/noto-naskh-arabic/LICENSE')),
  'files',
);
const FONTS = {
  arabic: join(FONT_DIR, 'noto-naskh-arabic-arabic-400-normal.woff'),
  arabicBold: join(FONT_DIR, 'noto-naskh-arabic-arabic-700-normal.woff'),
  latin: join(FONT_DIR, 'noto-naskh-arabic-latin-400-normal.woff'),
  latinBold: join(FONT_DIR, 'noto-naskh-arabic-latin-700-normal.woff'),
};

/** What Form 58 is filled in with: the person's and the document's data, and the appointment. */
export interface Form58Data {
  reference: string;
  lossReport: string;
  requesterNameAr: string;
  requesterNameEn: string;
  requesterNationalId?: string;
  documentType: string;
  holderNationalId: string;
  holderName: string;
  appointment?: { officeAr: string; officeEn: string; startsAt: number };
  /** for an ID card: the day it can be collected (15 days after the appointment) */
  collectionDate?: string;
  /** when the form was printed, for its footer */
  printedAt: number;
}

const PAGE = { width: 595.28, margin: 48 };
const RIGHT = PAGE.width - PAGE.margin;

type Doc = InstanceType<typeof PDFDocument>;

/** Draws one line of mixed text, laid out by the bidi algorithm, right-aligned (rtl) or left-aligned (ltr). */
function line(
  doc: Doc,
  text: string,
  opts: {
    y: number;
    size: number;
    dir: 'rtl' | 'ltr';
    bold?: boolean;
    color?: string;
    align?: 'left' | 'right';
  },
) {
  const runs = visualRuns(text, opts.dir).map((r) => {
    const font = r.arabic ? (opts.bold ? 'arabicBold' : 'arabic') : opts.bold ? 'latinBold' : 'latin';
    doc.font(font).fontSize(opts.size);
    return { ...r, font, width: doc.widthOfString(r.text) };
  });
  const total = runs.reduce((sum, r) => sum + r.width, 0);
  let x = (opts.align ?? (opts.dir === 'rtl' ? 'right' : 'left')) === 'right' ? RIGHT - total : PAGE.margin;
  doc.fillColor(opts.color ?? '#111111');
  // The line's text in logical order as its ActualText: shaped Arabic glyphs do not map back to letters.
  doc.markContent('Span', { actual: text } as Parameters<Doc['markContent']>[1]);
  for (const r of runs) {
    doc.font(r.font).fontSize(opts.size).text(r.text, x, opts.y, { lineBreak: false });
    x += r.width;
  }
  doc.endMarkedContent();
}

/**
 * Form 58, the application for a replacement document, prefilled, as a PDF: each field in Arabic (right to
 * left) and English, every date in the Gregorian and Umm al-Qura calendars, and a QR code of the request's
 * reference for the office to look it up (hawiya requests show <reference>).
 */
export async function form58Pdf(data: Form58Data): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    lang: 'ar',
    tagged: true,
    info: { Title: `Form 58 ${data.reference}`, Subject: 'Application for a replacement document' },
  });
  for (const [name, path] of Object.entries(FONTS)) doc.registerFont(name, path);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  let y = PAGE.margin;
  line(doc, 'وزارة الداخلية · الأحوال المدنية', { y, size: 11, dir: 'rtl', color: '#555555' });
  line(doc, 'Ministry of Interior · Civil Affairs', { y, size: 11, dir: 'ltr', color: '#555555' });
  y += 30;
  line(doc, 'نموذج رقم 58: طلب إصدار بدل فاقد', { y, size: 18, dir: 'rtl', bold: true });
  y += 28;
  line(doc, 'Form 58: Application for a replacement document', { y, size: 14, dir: 'ltr', bold: true });
  y += 34;

  // "Shaʻban": the font's Latin subset has no U+02BB, an apostrophe reads the same.
  const date = (d: string, l: 'ar' | 'en') =>
    `${gregorianDate(d, l)} · ${hijriDate(d, l).replace(/\u02bb/g, "'")}`;
  const a = data.appointment;
  const fields: [string, string, string, string][] = [
    ['رقم الطلب', data.reference, 'Request reference', data.reference],
    ['رقم بلاغ الفقد', data.lossReport, 'Loss report', data.lossReport],
    ['اسم مقدم الطلب', data.requesterNameAr, 'Applicant', data.requesterNameEn],
    ...(data.requesterNationalId
      ? [
          [
            'رقم هوية مقدم الطلب',
            data.requesterNationalId,
            "Applicant's national ID",
            data.requesterNationalId,
          ] as [string, string, string, string],
        ]
      : []),
    [
      'الوثيقة المفقودة',
      documentName(data.documentType, 'ar'),
      'Lost document',
      documentName(data.documentType, 'en'),
    ],
    ['اسم صاحب الوثيقة', data.holderName, "Holder's name", data.holderName],
    ['رقم هوية صاحب الوثيقة', data.holderNationalId, "Holder's national ID", data.holderNationalId],
    ...(a
      ? ([
          ['مكتب الأحوال المدنية', a.officeAr, 'Civil-affairs office', a.officeEn],
          [
            'الموعد',
            `${date(localDateOf(a.startsAt), 'ar')} · ${clockTime(localMinutesOf(a.startsAt))}`,
            'Appointment',
            `${date(localDateOf(a.startsAt), 'en')} · ${clockTime(localMinutesOf(a.startsAt))}`,
          ],
        ] as [string, string, string, string][])
      : []),
    ...(data.collectionDate
      ? [
          [
            'موعد الاستلام',
            date(data.collectionDate, 'ar'),
            'Collection from',
            date(data.collectionDate, 'en'),
          ] as [string, string, string, string],
        ]
      : []),
  ];
  for (const [labelAr, valueAr, labelEn, valueEn] of fields) {
    line(doc, `${labelAr}: ${valueAr}`, { y, size: 12, dir: 'rtl' });
    y += 19;
    line(doc, `${labelEn}: ${valueEn}`, { y, size: 10, dir: 'ltr', color: '#444444' });
    y += 19;
    doc
      .moveTo(PAGE.margin, y - 4)
      .lineTo(RIGHT, y - 4)
      .lineWidth(0.5)
      .strokeColor('#cccccc')
      .stroke();
    y += 4;
  }

  y += 8;
  line(doc, 'المتطلبات: صورتان شخصيتان مقاس 4×6 سم، وهذا النموذج موقّعاً.', { y, size: 11, dir: 'rtl' });
  y += 18;
  line(doc, 'Requirements: two personal photos, 4x6 cm, and this form, signed.', {
    y,
    size: 9.5,
    dir: 'ltr',
    color: '#444444',
  });
  if (data.documentType === 'national_id_card') {
    y += 20;
    line(doc, 'بطاقة الهوية: تؤخذ البصمات والصورة في الموعد، وتُستلم البطاقة بعد 15 يوماً.', {
      y,
      size: 11,
      dir: 'rtl',
    });
    y += 18;
    line(
      doc,
      'ID card: fingerprints and a photo are taken at the appointment; the card is collected 15 days later.',
      {
        y,
        size: 9.5,
        dir: 'ltr',
        color: '#444444',
      },
    );
  }

  y += 30;
  const qr = await QRCode.toBuffer(data.reference, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 1,
    width: 240,
  });
  doc.image(qr, PAGE.margin, y, { width: 96 });
  doc
    .fillColor('#555555')
    .font('latin')
    .fontSize(8)
    .text(data.reference, PAGE.margin, y + 98, {
      width: 96,
      align: 'center',
      lineBreak: false,
    });
  line(doc, 'توقيع مقدم الطلب: ____________________', { y: y + 10, size: 12, dir: 'rtl' });
  line(doc, "Applicant's signature", { y: y + 32, size: 9.5, dir: 'ltr', color: '#444444', align: 'right' });
  const printed = localDateOf(data.printedAt);
  line(doc, `طُبع في ${date(printed, 'ar')}`, { y: y + 70, size: 9, dir: 'rtl', color: '#555555' });
  line(doc, `Printed on ${date(printed, 'en')}`, {
    y: y + 86,
    size: 8.5,
    dir: 'ltr',
    color: '#555555',
    align: 'right',
  });
  doc.end();
  return done;
}
