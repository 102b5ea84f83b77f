import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files known to take longest, slowest first (seconds in a full run on the 2-core CI machine): they start
 * first so that no long file begins near the end of the run while the other worker has nothing left.
 */
const SLOWEST = [
  'test/features/portalPages.test.ts', // every page, 2 languages x 2 sizes, axe on each
  'test/features/portalServicePages.test.ts',
  'test/bench/benchShape.test.ts', // builds dist/ and runs a tiny bench
  'test/features/portalPasskeyPages.test.ts',
];
/** Then the rest of these folders (browser journeys, several processes, the binary), before unit tests. */
const SLOW_FOLDERS = ['test/features/', 'test/operations/', 'test/cli/'];

/**
 * Longest files first across both projects, then larger before smaller. Vitest's default queues one
 * project's files after the other's and, without a results cache (CI's clean checkout has none), by size
 * alone: a long browser journey or the bench could start last while the other worker runs dry.
 */
export class SlowFilesFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const path = (f: TestSpecification) => relative(root, f.moduleId);
    const rank = (f: TestSpecification) => {
      const known = SLOWEST.indexOf(path(f));
      if (known >= 0) return known;
      return SLOW_FOLDERS.some((dir) => path(f).startsWith(dir)) ? SLOWEST.length : SLOWEST.length + 1;
    };
    const size = (f: TestSpecification) =>
      this.ctx.cache.getFileStats(`${f.project.name}:${path(f)}`)?.size ?? 0;
    return [...files].sort(
      (a, b) => rank(a) - rank(b) || size(b) - size(a) || a.project.name.localeCompare(b.project.name),
    );
  }
}
