import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';

/** One import statement of a source file under src/, resolved to the layer it reaches. */
export interface ImportEdge {
  /** file that imports, relative to src/ with forward slashes */
  file: string;
  /** the module specifier as written */
  specifier: string;
  /** the imported file relative to src/ (undefined for packages and files outside src/) */
  target?: string;
  typeOnly: boolean;
}

/** What a layer may import: other layers by name, `*` for every layer. */
export type LayerRules = Record<string, readonly string[]>;

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;

/** Static and dynamic imports of one file's text. */
export function importsOf(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = (m[2] ?? m[3]) as string;
    const typeOnly = Boolean(m[1]);
    let target: string | undefined;
    if (specifier.startsWith('.')) {
      const resolved = posix.normalize(posix.join(posix.dirname(file), specifier));
      target = resolved.startsWith('..') ? undefined : resolved;
    }
    edges.push({ file, specifier, target, typeOnly });
  }
  return edges;
}

/** The layer of a file under src/: its top folder, or the file's name for files at the top (main, config). */
export function layerOf(path: string): string {
  const [head, ...rest] = path.split('/');
  if (rest.length > 0) return head as string;
  return (head as string).replace(/\.(ts|js)$/, '');
}

/**
 * Imports that cross layers against the rules. A type-only import of `config` is allowed everywhere: it is a
 * shape passed in, not a second reader of the environment.
 */
export function importViolations(edges: readonly ImportEdge[], rules: LayerRules): string[] {
  const problems: string[] = [];
  for (const edge of edges) {
    if (!edge.target) continue;
    const from = layerOf(edge.file);
    const to = layerOf(edge.target);
    if (from === to) continue;
    if (to === 'config' && edge.typeOnly) continue;
    const allowed = rules[from];
    if (!allowed) {
      problems.push(`${edge.file}: layer "${from}" has no import rules`);
      continue;
    }
    if (allowed.includes('*') || allowed.includes(to)) continue;
    problems.push(`${edge.file} imports ${edge.specifier}: "${from}" may not import "${to}"`);
  }
  return problems;
}

/** Every non-test TypeScript file under a folder, as import edges relative to it. */
export function importsUnder(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const file = relative(root, full).split(sep).join('/');
        edges.push(...importsOf(file, readFileSync(full, 'utf8')));
      }
    }
  };
  walk(root);
  return edges;
}

export const srcRoot = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'src');
