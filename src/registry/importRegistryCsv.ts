import { CsvError, parse } from 'csv-parse/sync';
import type { Knex } from 'knex';
import { type Clock, systemClock } from '../shared/clock.js';
import { checkNationalId, normalizeDigits } from './nationalId.js';
import { createRegistryRepo, type RegistryPersonInput } from './registryRepo.js';

/** The header row a registry export must have (any order). */
export const REGISTRY_CSV_COLUMNS = [
  'national_id',
  'id_type',
  'given_name_ar',
  'family_name_ar',
  'given_name_en',
  'family_name_en',
  'birth_date',
  'sex',
  'status',
  'mobile',
  'email',
] as const;

type Column = (typeof REGISTRY_CSV_COLUMNS)[number];

/** A rejected line: `line` is the physical line in the file (the header is line 1). */
export interface BadLine {
  line: number;
  errors: string[];
}

export interface ParsedRegistryCsv {
  persons: { line: number; person: RegistryPersonInput }[];
  bad: BadLine[];
  /** the file itself is unusable (not CSV, wrong header): no row can be trusted */
  fatal: boolean;
}

export interface ImportRegistryResult {
  imported: number;
  bad: BadLine[];
}

const NAME_COLUMNS = ['given_name_ar', 'family_name_ar', 'given_name_en', 'family_name_en'] as const;
const NAME_MAX = 100;
const EMAIL_MAX = 254;
const MIN_BIRTH_DATE = '1900-01-01';
// Saudi Arabia keeps UTC+3 all year: "today" for birth dates is the registry's day, not the server's.
const RIYADH_OFFSET_MS = 3 * 60 * 60 * 1000;
// Error messages never echo cell values: the report may be logged and must not carry national IDs.
const NATIONAL_ID_REASONS = {
  format: 'national_id: must be exactly 10 digits',
  type: 'national_id: must start with 1 (citizen) or 2 (resident)',
  checksum: 'national_id: check digit does not match',
} as const;

/**
 * Imports a civil-registry CSV export. All or nothing unless `skipBad`: with any bad line and no `skipBad`,
 * nothing is written and the bad lines are returned; with `skipBad`, the good rows are upserted in one
 * transaction. Bad input never throws; only database failures do.
 */
export async function importRegistryCsv(opts: {
  db: Knex;
  csv: string;
  skipBad?: boolean;
  clock?: Clock;
}): Promise<ImportRegistryResult> {
  const clock = opts.clock ?? systemClock;
  const parsed = parseRegistryCsv({ csv: opts.csv, now: clock.now() });
  if (parsed.fatal || (parsed.bad.length > 0 && !opts.skipBad)) return { imported: 0, bad: parsed.bad };
  const persons = parsed.persons.map((p) => p.person);
  await createRegistryRepo(opts.db, clock).upsertMany(persons);
  return { imported: persons.length, bad: parsed.bad };
}

/** Parses and validates without touching the database (also usable as a dry run). */
export function parseRegistryCsv(opts: { csv: string; now: number }): ParsedRegistryCsv {
  // One line-break convention, so physical line numbers are counted the same way for every export.
  const text = opts.csv.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const fatal = (line: number, error: string): ParsedRegistryCsv => ({
    persons: [],
    bad: [{ line, errors: [error] }],
    fatal: true,
  });

  if (text.trim() === '')
    return fatal(1, `file is empty: expected the header ${REGISTRY_CSV_COLUMNS.join(',')}`);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return fatal(lineAt(text, nul), 'not a CSV text file (binary content)');

  const records: { line: number; fields: string[] }[] = [];
  let offset = 0;
  let linesBefore = 0;
  try {
    parse(text, {
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      raw: true,
      on_record: (record) => {
        // With `raw`, csv-parse hands over { record, raw } though its types say string[].
        // raw holds the record and any empty lines skipped before it.
        const rec = record as unknown as { record: string[]; raw: string };
        const leading = rec.raw.length - rec.raw.replace(/^\n+/, '').length;
        records.push({ line: linesBefore + leading + 1, fields: rec.record });
        linesBefore += countNewlines(rec.raw);
        offset += rec.raw.length;
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const rest = text.slice(offset);
    const line = linesBefore + (rest.length - rest.replace(/^\n+/, '').length) + 1;
    return fatal(line, `not valid CSV: ${describeCsvError(err.code)} (${err.code})`);
  }

  const [header, ...rows] = records;
  if (!header) return fatal(1, 'file is empty: expected a header row');
  const columns = readHeader(header.fields);
  if ('errors' in columns)
    return { persons: [], bad: [{ line: header.line, errors: columns.errors }], fatal: true };

  const today = new Date(opts.now + RIYADH_OFFSET_MS).toISOString().slice(0, 10);
  const errorsByLine = new Map<number, string[]>();
  const good = new Map<number, RegistryPersonInput>();
  const linesById = new Map<string, number[]>();
  for (const { line, fields } of rows) {
    // Spreadsheets often end with rows of bare commas.
    if (fields.every((f) => f.trim() === '')) continue;
    if (fields.length !== columns.index.length) {
      const what = fields.length < columns.index.length ? 'missing columns' : 'extra columns';
      errorsByLine.set(line, [`${what}: expected ${columns.index.length}, found ${fields.length}`]);
      continue;
    }
    const cell = (c: Column) => (fields[columns.position[c]] ?? '').trim();
    const result = validateRow(cell, today);
    if (result.nationalId)
      linesById.set(result.nationalId, [...(linesById.get(result.nationalId) ?? []), line]);
    if (result.errors.length > 0) errorsByLine.set(line, result.errors);
    else if (result.person) good.set(line, result.person);
  }

  // A duplicated ID is ambiguous: no occurrence is trusted, so skipBad imports none of them.
  for (const lines of linesById.values()) {
    if (lines.length < 2) continue;
    for (const line of lines) {
      const others = lines.filter((l) => l !== line).join(', ');
      errorsByLine.set(line, [
        ...(errorsByLine.get(line) ?? []),
        `national_id: duplicated on line ${others}`,
      ]);
      good.delete(line);
    }
  }

  return {
    persons: [...good].map(([line, person]) => ({ line, person })),
    bad: [...errorsByLine].map(([line, errors]) => ({ line, errors })).sort((a, b) => a.line - b.line),
    fatal: false,
  };
}

function readHeader(
  fields: string[],
): { index: string[]; position: Record<Column, number> } | { errors: string[] } {
  const names = fields.map((f) => f.trim().toLowerCase());
  const known = new Set<string>(REGISTRY_CSV_COLUMNS);
  const errors: string[] = [];
  const missing = REGISTRY_CSV_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !known.has(n));
  const repeated = names.filter((n, i) => known.has(n) && names.indexOf(n) !== i);
  if (names.length === 1 && /[;\t|]/.test(names[0] ?? '')) {
    errors.push('header: columns must be separated by commas');
  }
  if (missing.length > 0) errors.push(`header: missing columns: ${missing.join(', ')}`);
  if (unknown.length > 0)
    errors.push(`header: unknown columns: ${unknown.map((n) => n || '(empty)').join(', ')}`);
  if (repeated.length > 0) errors.push(`header: repeated columns: ${[...new Set(repeated)].join(', ')}`);
  if (errors.length > 0) {
    errors.push(`header: expected ${REGISTRY_CSV_COLUMNS.join(',')}`);
    return { errors };
  }
  const position = Object.fromEntries(names.map((n, i) => [n, i])) as Record<Column, number>;
  return { index: names, position };
}

function validateRow(
  cell: (c: Column) => string,
  today: string,
): { errors: string[]; nationalId?: string; person?: RegistryPersonInput } {
  const errors: string[] = [];

  const id = checkNationalId(cell('national_id'));
  if (!id.ok) errors.push(NATIONAL_ID_REASONS[id.reason]);
  const idType = cell('id_type').toLowerCase();
  if (idType !== 'citizen' && idType !== 'resident') errors.push('id_type: must be citizen or resident');
  else if (id.ok && id.idType !== idType) {
    errors.push('id_type: does not match the national ID (1 = citizen, 2 = resident)');
  }

  for (const c of NAME_COLUMNS) {
    const name = cell(c);
    if (name === '') errors.push(`${c}: required`);
    else if ([...name].length > NAME_MAX) errors.push(`${c}: longer than ${NAME_MAX} characters`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    else if (/[\u0000-\u001f\u007f]/.test(name))
      errors.push(`${c}: contains control characters or line breaks`);
  }

  const birthDate = normalizeDigits(cell('birth_date'));
  const dateError = checkBirthDate(birthDate, today);
  if (dateError) errors.push(`birth_date: ${dateError}`);

  const sex = cell('sex').toUpperCase();
  if (sex !== 'M' && sex !== 'F') errors.push('sex: must be M or F');
  const status = cell('status').toLowerCase();
  if (status !== 'living' && status !== 'deceased') errors.push('status: must be living or deceased');

  const mobile = normalizeDigits(cell('mobile'));
  if (!/^05\d{8}$/.test(mobile) && !/^\+\d{8,15}$/.test(mobile)) {
    errors.push('mobile: must be 05XXXXXXXX or international +<8-15 digits>');
  }

  const email = cell('email');
  if (email !== '' && (email.length > EMAIL_MAX || !/^[^\s@]+@(?:[^\s@.]+\.)+[^\s@.]{2,}$/.test(email))) {
    errors.push('email: not a valid address');
  }

  const nationalId = id.ok ? id.nationalId : undefined;
  if (errors.length > 0 || !id.ok) return { errors, nationalId };
  return {
    errors,
    nationalId,
    person: {
      nationalId: id.nationalId,
      idType: id.idType,
      givenNameAr: cell('given_name_ar'),
      familyNameAr: cell('family_name_ar'),
      givenNameEn: cell('given_name_en'),
      familyNameEn: cell('family_name_en'),
      birthDate,
      sex: sex as RegistryPersonInput['sex'],
      status: status as RegistryPersonInput['status'],
      mobile,
      email: email === '' ? null : email,
    },
  };
}

function checkBirthDate(date: string, today: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return 'must be YYYY-MM-DD';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const parsed = new Date(Date.UTC(y, mo - 1, d));
  if (parsed.getUTCFullYear() !== y || parsed.getUTCMonth() !== mo - 1 || parsed.getUTCDate() !== d) {
    return 'not a real calendar date';
  }
  // ISO dates compare correctly as strings.
  if (date < MIN_BIRTH_DATE) return 'before 1900';
  if (date > today) return 'in the future';
  return undefined;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function lineAt(text: string, index: number): number {
  return countNewlines(text.slice(0, index)) + 1;
}

function describeCsvError(code: string): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'unexpected text after a closing quote';
    default:
      return 'malformed record';
  }
}
