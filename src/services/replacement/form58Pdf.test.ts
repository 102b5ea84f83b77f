import { describe, expect, it } from 'vitest';
import { pdfActualText, pdfText } from '../../../test/helpers/pdfText.js';
import { instantOf } from '../../replacements/riyadhCalendar.js';
import { form58Pdf } from './form58Pdf.js';

describe('Form 58', () => {
  it('is a PDF with the person’s name, the document, both calendars and the reference', async () => {
    const pdf = await form58Pdf({
      reference: 'RQ1234567897',
      lossReport: 'LR1234567897',
      requesterNameAr: 'عمر حداد',
      requesterNameEn: 'Omar Haddad',
      requesterNationalId: '2105739466',
      documentType: 'national_id_card',
      holderNationalId: '2105739466',
      holderName: 'عمر حداد',
      appointment: {
        officeAr: 'مكتب العليا',
        officeEn: 'Olaya office',
        startsAt: instantOf('2026-02-18', 9 * 60),
      },
      collectionDate: '2026-03-05',
      printedAt: instantOf('2026-02-15', 10 * 60),
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('Omar Haddad');
    expect(text).toContain('RQ1234567897');
    expect(text).toContain('national ID card');
    expect(text).toContain('1 Ramadan 1447 AH');
    // The Arabic, as a reader gets it (each line's ActualText: the shaped glyphs do not map back to
    // letters), in logical order: the labels, the person's name, the office, digits left to right.
    const lines = pdfActualText(pdf);
    expect(lines).toContain('اسم مقدم الطلب: عمر حداد');
    expect(lines).toContain('مكتب الأحوال المدنية: مكتب العليا');
    expect(lines).toContain('الموعد: الأربعاء، 18 فبراير 2026 · 1 رمضان 1447 هـ · 09:00');
    expect(lines).toContain('رقم هوية مقدم الطلب: 2105739466');
    // Every line drawn is marked, Arabic and English alike.
    expect(lines).toContain('Applicant: Omar Haddad');
    expect(lines.length).toBeGreaterThan(20);
  });
});
