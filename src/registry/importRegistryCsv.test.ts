import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, ENGINES, type TestDb } from '../../test/helpers/testDb.js';
import { fakeClock } from '../shared/clock.js';
import { importRegistryCsv, parseRegistryCsv } from './importRegistryCsv.js';
import { createRegistryRepo } from './registryRepo.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
const SAMPLE = fixture('registry-sample.csv');
const BAD = fixture('registry-bad.csv');
const HEADER =
  'national_id,id_type,given_name_ar,family_name_ar,given_name_en,family_name_en,birth_date,sex,status,mobile,email';
const ROW = '1000000008,citizen,محمد,العتيبي,Mohammed,Al-Otaibi,1985-03-14,M,living,0551234512,m@example.com';
// 2026-01-10T12:00:00Z
const NOW = Date.UTC(2026, 0, 10, 12);

/** Only the error messages for one line of a parse. */
function errorsOn(csv: string, line: number, now = NOW): string[] {
  return parseRegistryCsv({ csv, now }).bad.find((b) => b.line === line)?.errors ?? [];
}

function withCell(column: string, value: string): string {
  const cells = ROW.split(',');
  cells[HEADER.split(',').indexOf(column)] = value;
  return `${HEADER}\n${cells.join(',')}\n`;
}

describe('parseRegistryCsv: row validation', () => {
  it('accepts a clean row and normalises Arabic digits in ID, date and mobile', () => {
    const csv = `${HEADER}\n١٠٠٠٠٠٠٠٠٨,Citizen,محمد,العتيبي,Mohammed,Al-Otaibi,١٩٨٥-٠٣-١٤,m,LIVING,۰۵۵۱۲۳۴۵۱۲,\n`;
    const parsed = parseRegistryCsv({ csv, now: NOW });
    expect(parsed.bad).toEqual([]);
    expect(parsed.persons).toEqual([
      {
        line: 2,
        person: {
          nationalId: '1000000008',
          idType: 'citizen',
          givenNameAr: 'محمد',
          familyNameAr: 'العتيبي',
          givenNameEn: 'Mohammed',
          familyNameEn: 'Al-Otaibi',
          birthDate: '1985-03-14',
          sex: 'M',
          status: 'living',
          mobile: '0551234512',
          email: null,
        },
      },
    ]);
  });

  it.each([
    ['national_id', '1000000009', 'national_id: check digit does not match'],
    ['national_id', '3000000004', 'national_id: must start with 1 (citizen) or 2 (resident)'],
    ['national_id', '100000000', 'national_id: must be exactly 10 digits'],
    ['id_type', 'resident', 'id_type: does not match the national ID (1 = citizen, 2 = resident)'],
    ['id_type', 'visitor', 'id_type: must be citizen or resident'],
    ['given_name_ar', '', 'given_name_ar: required'],
    ['family_name_en', '   ', 'family_name_en: required'],
    ['given_name_en', 'x'.repeat(101), 'given_name_en: longer than 100 characters'],
    ['birth_date', '14/03/1985', 'birth_date: must be YYYY-MM-DD'],
    ['birth_date', '2001-02-29', 'birth_date: not a real calendar date'],
    ['birth_date', '1985-13-01', 'birth_date: not a real calendar date'],
    ['birth_date', '1899-12-31', 'birth_date: before 1900'],
    ['birth_date', '2026-01-11', 'birth_date: in the future'],
    ['sex', 'male', 'sex: must be M or F'],
    ['status', 'alive', 'status: must be living or deceased'],
    ['mobile', '0451234512', 'mobile: must be 05XXXXXXXX or international +<8-15 digits>'],
    ['mobile', '055123451', 'mobile: must be 05XXXXXXXX or international +<8-15 digits>'],
    ['mobile', '+9665512345123456', 'mobile: must be 05XXXXXXXX or international +<8-15 digits>'],
    ['email', 'not-an-email', 'email: not a valid address'],
    ['email', 'a@b', 'email: not a valid address'],
    ['email', 'a b@example.com', 'email: not a valid address'],
    ['email', `${'a'.repeat(250)}@example.com`, 'email: not a valid address'],
  ])('%s = %j is rejected: %s', (column, value, message) => {
    expect(errorsOn(withCell(column, value), 2)).toEqual([message]);
  });

  it.each([
    ['given_name_ar', 'ع'.repeat(100)],
    ['birth_date', '1900-01-01'],
    ['birth_date', '2000-02-29'],
    ['mobile', '+966551234512'],
    ['mobile', '+12345678'],
    ['email', ''],
    ['email', 'first.last+tag@mail.example.co.uk'],
  ])('%s = %j is accepted', (column, value) => {
    expect(parseRegistryCsv({ csv: withCell(column, value), now: NOW }).bad).toEqual([]);
  });

  it('today in Riyadh is not the future, even when it is still yesterday in UTC', () => {
    // 2026-01-10T22:00Z is already 2026-01-11 01:00 in Riyadh
    const late = Date.UTC(2026, 0, 10, 22);
    expect(errorsOn(withCell('birth_date', '2026-01-11'), 2, late)).toEqual([]);
    expect(errorsOn(withCell('birth_date', '2026-01-12'), 2, late)).toEqual(['birth_date: in the future']);
  });

  it('reports every problem of a row, not just the first', () => {
    const csv = `${HEADER}\n1000000009,resident,,X,Y,Z,2001-02-29,Q,alive,123,@\n`;
    expect(errorsOn(csv, 2)).toEqual([
      'national_id: check digit does not match',
      'given_name_ar: required',
      'birth_date: not a real calendar date',
      'sex: must be M or F',
      'status: must be living or deceased',
      'mobile: must be 05XXXXXXXX or international +<8-15 digits>',
      'email: not a valid address',
    ]);
  });

  it('[checklist 44] error messages never echo the national ID or other cell values', () => {
    const parsed = parseRegistryCsv({ csv: BAD, now: NOW });
    const text = JSON.stringify(parsed.bad);
    for (const id of ['1056789125', '1067891232', '3012345678', '1012345672']) expect(text).not.toContain(id);
    expect(text).not.toContain('not-an-email');
  });

  it('rejects names with line breaks hidden in quoted fields', () => {
    const csv = `${HEADER}\n1000000008,citizen,"محمد\nعلي",العتيبي,Mohammed,Al-Otaibi,1985-03-14,M,living,0551234512,\n`;
    expect(errorsOn(csv, 2)).toEqual(['given_name_ar: contains control characters or line breaks']);
  });
});

describe('parseRegistryCsv: file structure', () => {
  it('accepts a UTF-8 BOM and CRLF line endings', () => {
    const parsed = parseRegistryCsv({ csv: `\uFEFF${HEADER}\r\n${ROW}\r\n`, now: NOW });
    expect(parsed.bad).toEqual([]);
    expect(parsed.persons.map((p) => p.person.nationalId)).toEqual(['1000000008']);
  });

  it('accepts the header columns in any order and with stray spaces or capitals', () => {
    const cols = HEADER.split(',');
    const cells = ROW.split(',');
    const order = cols.map((_, i) => i).reverse();
    const csv = `${order.map((i) => ` ${cols[i]!.toUpperCase()} `).join(',')}\n${order.map((i) => cells[i]).join(',')}\n`;
    expect(parseRegistryCsv({ csv, now: NOW }).persons[0]?.person).toMatchObject({
      nationalId: '1000000008',
      email: 'm@example.com',
    });
  });

  it('counts physical lines across blank lines and multi-line quoted fields', () => {
    const bad = ROW.replace('1000000008', '1000000009');
    const multi = ROW.replace('Al-Otaibi', '"Al-\nOtaibi"').replace('1000000008', '1045238712');
    const csv = `${HEADER}\n\n${bad}\n${multi}\n\n\n${bad.replace('1985', '1986')}\n,,,,,,,,,,\n${bad}`;
    const lines = parseRegistryCsv({ csv, now: NOW }).bad.map((b) => b.line);
    // line 3: bad; lines 4-5: the multi-line row; line 8: bad; line 9: a row of bare commas (skipped); line 10: bad
    expect(lines).toEqual([3, 4, 8, 10]);
  });

  it('reports missing and extra columns per line', () => {
    const csv = `${HEADER}\n${ROW.split(',').slice(0, 10).join(',')}\n${ROW},extra\n`;
    expect(parseRegistryCsv({ csv, now: NOW }).bad).toEqual([
      { line: 2, errors: ['missing columns: expected 11, found 10'] },
      { line: 3, errors: ['extra columns: expected 11, found 12'] },
    ]);
  });

  it.each([
    ['an empty file', '', /^file is empty/],
    ['only whitespace', ' \n\n \n', /^file is empty/],
    ['a JSON document', '{"national_id": "1000000008"}\n', /^header: missing columns: national_id, id_type/],
    ['plain text', 'Hello, this is not a registry export.\n', /^header: missing columns/],
    ['binary content', '%PDF-1.7\n\u0000\u0001\u0002', /^not a CSV text file/],
  ])('%s gives one clear bad entry instead of a stack trace', (_what, csv, message) => {
    const parsed = parseRegistryCsv({ csv, now: NOW });
    expect(parsed.fatal).toBe(true);
    expect(parsed.persons).toEqual([]);
    expect(parsed.bad).toHaveLength(1);
    expect(parsed.bad[0]?.errors[0]).toMatch(message);
  });

  it('names missing, unknown and repeated header columns on line 1', () => {
    const csv = `${HEADER.replace('sex', 'gender').replace('email', 'mobile')}\n${ROW}\n`;
    expect(parseRegistryCsv({ csv, now: NOW }).bad).toEqual([
      {
        line: 1,
        errors: [
          'header: missing columns: sex, email',
          'header: unknown columns: gender',
          'header: repeated columns: mobile',
          `header: expected ${HEADER}`,
        ],
      },
    ]);
  });

  it('hints at the delimiter when the file uses semicolons', () => {
    const csv = `${HEADER.replaceAll(',', ';')}\n${ROW.replaceAll(',', ';')}\n`;
    expect(errorsOn(csv, 1)[0]).toBe('header: columns must be separated by commas');
  });

  it('an unclosed quote is reported at the line where its record starts', () => {
    const csv = `${HEADER}\n${ROW}\n\n1045238712,citizen,"نورة,القحطاني,Noura,Al-Qahtani,1992-11-02,F,living,0557654321,\n${ROW}\n`;
    const parsed = parseRegistryCsv({ csv, now: NOW });
    expect(parsed).toMatchObject({ fatal: true, persons: [] });
    expect(parsed.bad).toEqual([
      { line: 4, errors: ['not valid CSV: a quoted field is never closed (CSV_QUOTE_NOT_CLOSED)'] },
    ]);
  });

  it('a stray quote inside an unquoted field is kept, not a fatal error', () => {
    const parsed = parseRegistryCsv({ csv: withCell('family_name_en', 'O"Neil'), now: NOW });
    expect(parsed.bad).toEqual([]);
    expect(parsed.persons[0]?.person.familyNameEn).toBe('O"Neil');
  });
});

describe.each(ENGINES)('importRegistryCsv on %s', (engine) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.destroy();
    t = undefined;
  });

  it('imports every row of the sample file', async () => {
    t = await createTestDb(engine);
    const clock = fakeClock(NOW);
    const result = await importRegistryCsv({ db: t.db, csv: SAMPLE, clock });
    expect(result).toEqual({ imported: 6, bad: [] });
    const repo = createRegistryRepo(t.db);
    expect(await repo.count()).toBe(6);
    expect(await repo.find('2012345670')).toEqual({
      nationalId: '2012345670',
      idType: 'resident',
      givenNameAr: 'أمينة',
      familyNameAr: 'رحمن',
      givenNameEn: 'Amina',
      familyNameEn: 'Rahman',
      birthDate: '1988-04-05',
      sex: 'F',
      status: 'living',
      mobile: '+966561234567',
      email: 'amina.rahman@example.com',
      updatedAt: NOW,
    });
    // quoted cells with commas, Arabic-Indic mobile digits, empty e-mail, a deceased person
    expect(await repo.find('1045678917')).toMatchObject({
      familyNameEn: 'Al Saud, Jr.',
      mobile: '0534567890',
    });
    expect(await repo.find('1023456781')).toMatchObject({ email: null });
    expect(await repo.find('1034567899')).toMatchObject({ status: 'deceased' });
  });

  it('the bad file reports exact line numbers and imports nothing', async () => {
    t = await createTestDb(engine);
    const result = await importRegistryCsv({ db: t.db, csv: BAD, clock: fakeClock(NOW) });
    expect(result).toEqual({
      imported: 0,
      bad: [
        { line: 3, errors: ['national_id: check digit does not match'] },
        {
          line: 6,
          errors: [
            'id_type: does not match the national ID (1 = citizen, 2 = resident)',
            'sex: must be M or F',
          ],
        },
        { line: 7, errors: ['birth_date: in the future'] },
        { line: 8, errors: ['birth_date: not a real calendar date'] },
        { line: 9, errors: ['missing columns: expected 11, found 10'] },
        { line: 10, errors: ['extra columns: expected 11, found 12'] },
        { line: 11, errors: ['mobile: must be 05XXXXXXXX or international +<8-15 digits>'] },
        {
          line: 12,
          errors: [
            'birth_date: before 1900',
            'status: must be living or deceased',
            'email: not a valid address',
          ],
        },
        {
          line: 13,
          errors: ['national_id: must start with 1 (citizen) or 2 (resident)', 'given_name_ar: required'],
        },
        { line: 14, errors: ['national_id: duplicated on line 15'] },
        { line: 15, errors: ['national_id: duplicated on line 14'] },
      ],
    });
    expect(await createRegistryRepo(t.db).count()).toBe(0);
  });

  it('skipBad imports only the good rows and still lists the bad ones', async () => {
    t = await createTestDb(engine);
    const result = await importRegistryCsv({ db: t.db, csv: BAD, skipBad: true });
    expect(result.imported).toBe(3);
    expect(result.bad.map((b) => b.line)).toEqual([3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const repo = createRegistryRepo(t.db);
    expect(await repo.count()).toBe(3);
    for (const id of ['1056789124', '2034567897', '1023456781']) expect(await repo.find(id)).toBeDefined();
    // neither copy of a duplicated ID is trusted
    expect(await repo.find('1012345672')).toBeUndefined();
  });

  it('skipBad never imports from a file whose header is wrong', async () => {
    t = await createTestDb(engine);
    const csv = SAMPLE.replace('national_id,', 'nid,');
    const result = await importRegistryCsv({ db: t.db, csv, skipBad: true });
    expect(result.imported).toBe(0);
    expect(result.bad).toHaveLength(1);
    expect(result.bad[0]).toMatchObject({ line: 1 });
    expect(await createRegistryRepo(t.db).count()).toBe(0);
  });

  it('a re-import updates the existing persons instead of duplicating them', async () => {
    t = await createTestDb(engine);
    const clock = fakeClock(NOW);
    await importRegistryCsv({ db: t.db, csv: SAMPLE, clock });
    clock.advance(86_400_000);
    const again = await importRegistryCsv({
      db: t.db,
      csv: `\uFEFF${SAMPLE.replaceAll('\n', '\r\n')}`,
      clock,
    });
    expect(again).toEqual({ imported: 6, bad: [] });
    // the bad file's good rows include 1023456781 from the sample, now deceased
    const second = await importRegistryCsv({ db: t.db, csv: BAD, skipBad: true, clock });
    expect(second.imported).toBe(3);
    const repo = createRegistryRepo(t.db);
    expect(await repo.count()).toBe(6 + 2);
    expect(await repo.find('1023456781')).toMatchObject({ status: 'deceased', updatedAt: NOW + 86_400_000 });
    // a person the bad file rejected keeps the sample's data
    expect(await repo.find('1012345672')).toMatchObject({
      mobile: '0551234567',
      updatedAt: NOW + 86_400_000,
    });
  });
});
