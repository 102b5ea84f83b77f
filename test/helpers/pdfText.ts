import { inflateSync } from 'node:zlib';

/** The text of every page of a PDF, as a reader extracts it (pdf.js, the engine of Firefox's viewer). */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    pages.push(content.items.map((i) => ('str' in i ? i.str : '')).join(' '));
  }
  await doc.destroy();
  return pages.join('\n');
}

/**
 * The lines of a PDF as its marked content's ActualText gives them: the text in logical order that a
 * screen reader or a copy reads, where shaped Arabic glyphs (joining forms, separate dots) do not map back
 * to letters through the font. Read straight from the page content streams (pdf.js does not expose it).
 */
export function pdfActualText(pdf: Uint8Array): string[] {
  const raw = Buffer.from(pdf).toString('latin1');
  const lines: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) continue;
    let content: string;
    try {
      content = inflateSync(Buffer.from(raw.slice(start, end), 'latin1')).toString('latin1');
    } catch {
      continue; // not a deflated stream (an image, a font), or none
    }
    for (const at of content.matchAll(/\/ActualText\s*\(/g)) {
      lines.push(decodePdfString(literalString(content, (at.index ?? 0) + at[0].length)));
    }
  }
  return lines;
}

/** The bytes of a PDF literal string starting after its "(": escapes resolved, nested parentheses kept. */
function literalString(s: string, from: number): string {
  let out = '';
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\') {
      const n = s[++i] as string;
      const octal = /^[0-7]{1,3}/.exec(s.slice(i, i + 3));
      if (octal) {
        out += String.fromCharCode(Number.parseInt(octal[0], 8));
        i += octal[0].length - 1;
      } else out += ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[n] ?? n;
    } else if (c === '(') {
      depth++;
      out += c;
    } else if (c === ')') {
      if (depth-- === 0) return out;
      out += c;
    } else out += c;
  }
  return out;
}

/** A PDF text string: UTF-16BE after a byte-order mark, PDFDocEncoding (Latin-1 here) otherwise. */
function decodePdfString(bytes: string): string {
  if (!bytes.startsWith('\xfe\xff')) return bytes;
  const b = Buffer.from(bytes.slice(2), 'latin1');
  let out = '';
  for (let i = 0; i + 1 < b.length; i += 2) out += String.fromCharCode(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  return out;
}
