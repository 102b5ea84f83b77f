import { describe, expect, it } from 'vitest';
import { checkReportInput } from './reportInput.js';

const me = { nationalId: '1045238712' };

describe('checkReportInput', () => {
  it('accepts a family record of another person, tidying the name and reading Arabic-Indic digits', () => {
    expect(
      checkReportInput(
        { documentType: 'family_record', holderNationalId: '١٠٠٠٠٠٠٠٠٨', holderName: '  محمد   العتيبي ' },
        me,
      ),
    ).toEqual({
      ok: true,
      value: { documentType: 'family_record', holderNationalId: '1000000008', holderName: 'محمد العتيبي' },
    });
  });

  it('accepts one’s own ID card and refuses another person’s', () => {
    const own = {
      documentType: 'national_id_card',
      holderNationalId: '1045238712',
      holderName: 'Noura Al-Qahtani',
    };
    expect(checkReportInput(own, me).ok).toBe(true);
    expect(checkReportInput({ ...own, holderNationalId: '1000000008' }, me)).toEqual({
      ok: false,
      errors: { holderNationalId: 'id_card_not_own' },
    });
  });

  it('reports every problem at once: unknown document, bad check digit, control characters, too long', () => {
    expect(
      checkReportInput(
        { documentType: 'passport', holderNationalId: '1045238713', holderName: 'a\u0000b' },
        me,
      ),
    ).toEqual({
      ok: false,
      errors: {
        documentType: 'unknown_document',
        holderNationalId: 'bad_national_id',
        holderName: 'bad_name',
      },
    });
    const long = checkReportInput(
      { documentType: 'birth_certificate', holderNationalId: '1000000008', holderName: 'ا'.repeat(101) },
      me,
    );
    expect(long).toEqual({ ok: false, errors: { holderName: 'name_too_long' } });
  });

  it.each([['x'], ['1234'], ['<script>'], ['Noura\u202eevil'], [''], [42]])('refuses the name %j', (name) => {
    const r = checkReportInput(
      { documentType: 'birth_certificate', holderNationalId: '1000000008', holderName: name },
      me,
    );
    expect(r).toEqual({ ok: false, errors: { holderName: 'bad_name' } });
  });
});
