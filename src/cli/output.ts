/** Where a command writes: results to stdout, messages and errors to stderr (so --json stays parseable). */
export interface Output {
  line(text?: string): void;
  json(value: unknown): void;
  table(rows: readonly Record<string, unknown>[], columns?: readonly string[]): void;
  error(text: string): void;
  /** raw text, for exports */
  write(text: string): void;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.length === 0 ? '-' : v.join(' ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function createOutput(streams: {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}): Output {
  const out = (s: string) => streams.stdout.write(s);
  return {
    line: (text = '') => out(`${text}\n`),
    json: (value) => out(`${JSON.stringify(value, null, 2)}\n`),
    write: out,
    error: (text) => streams.stderr.write(`hawiya: ${text}\n`),
    table(rows, columns) {
      const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
      if (rows.length === 0) {
        out('(none)\n');
        return;
      }
      const cells = rows.map((r) => cols.map((c) => cell(r[c])));
      const widths = cols.map((c, i) =>
        Math.max([...c].length, ...cells.map((row) => [...(row[i] ?? '')].length)),
      );
      const fmt = (row: string[]) =>
        row
          .map((v, i) => v + ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...v].length)))
          .join('  ')
          .trimEnd();
      out(`${fmt(cols.map((c) => c.toUpperCase()))}\n`);
      for (const row of cells) out(`${fmt(row)}\n`);
    },
  };
}

/** Epoch milliseconds as an ISO 8601 UTC string, or undefined. */
export function iso(ms: number | null | undefined): string | undefined {
  return ms === null || ms === undefined ? undefined : new Date(ms).toISOString();
}
