import type { Bidi } from 'bidi-js';
import * as bidiJs from 'bidi-js';

// bidi-js is a CommonJS module whose only export is a factory; its types say `export default`.
const bidiFactory = ((bidiJs as { default?: unknown }).default ?? bidiJs) as () => Bidi;
const bidi = bidiFactory();

/** Arabic script (letters, digits, marks, presentation forms): drawn with the Arabic font. */
const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

/** One piece of a line, drawn left to right in this order; `text` is in logical order. */
export interface VisualRun {
  text: string;
  arabic: boolean;
  /** right to left: the font's shaper reverses an Arabic run itself */
  rtl: boolean;
}

/**
 * Lays one line out in visual order by the Unicode bidi algorithm (bidi-js) in a right-to-left paragraph:
 * the PDF library shapes Arabic (joining forms) and reverses a right-to-left run, but does not reorder a
 * line in which Arabic, digits and Latin mix. Returns runs of one font and one direction, left to right.
 */
export function visualRuns(line: string, base: 'rtl' | 'ltr' = 'rtl'): VisualRun[] {
  const levels = bidi.getEmbeddingLevels(line, base);
  const order = bidi.getReorderedIndices(line, levels);
  const runs: { indices: number[]; arabic: boolean; rtl: boolean }[] = [];
  for (const i of order) {
    const ch = line[i] as string;
    const rtl = ((levels.levels[i] ?? 0) & 1) === 1;
    // Spaces go to the Latin font (the Arabic subset has none); words are shaped whole either way.
    const prev = runs[runs.length - 1];
    const arabic = ARABIC.test(ch);
    const last = prev?.indices[prev.indices.length - 1];
    const continues =
      prev &&
      prev.arabic === arabic &&
      prev.rtl === rtl &&
      last !== undefined &&
      (rtl ? last === i + 1 : last === i - 1);
    if (continues) prev.indices.push(i);
    else runs.push({ indices: [i], arabic, rtl });
  }
  return runs.map((r) => {
    // In logical order; a right-to-left run of non-Arabic characters (brackets, punctuation) is mirrored
    // and reversed here, since the shaper leaves it alone.
    const logical = [...r.indices].sort((a, b) => a - b).map((i) => line[i] as string);
    if (r.arabic || !r.rtl) return { text: logical.join(''), arabic: r.arabic, rtl: r.rtl };
    const mirrored = logical.map((c) => bidi.getMirroredCharacter(c) ?? c).reverse();
    return { text: mirrored.join(''), arabic: false, rtl: true };
  });
}
