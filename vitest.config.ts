import { defineConfig } from 'vitest/config';
import { SlowFilesFirstSequencer } from './test/helpers/slowFilesFirstSequencer.js';

// Two projects, one run: everything on the embedded default (SQLite), and the request-level and browser
// journeys again on PostgreSQL (repository tests already run on both engines by themselves).
// Files that mock a module (vi.mock): each needs a fresh module registry of its own.
const MOCKING_FILES = ['src/accounts/passwordHasher.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // A worker runs file after file in one process, keeping the modules it imported (src/, knex,
    // oidc-provider, Koa...): a new process per file imported them ~200 times (half the CPU of a run of
    // src/). Each file still builds its own servers and databases. A file that mocks a module runs in
    // the isolated project below: in a shared worker the module may already be imported unmocked.
    isolate: false,
    sequence: { sequencer: SlowFilesFirstSequencer },
    reporters: ['default', './test/helpers/summaryReporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: MOCKING_FILES,
          env: { NODE_ENV: 'test', TEST_ENGINE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'sqlite-isolated',
          include: MOCKING_FILES,
          isolate: true,
          env: { NODE_ENV: 'test', TEST_ENGINE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/oidc/**/*.test.ts', 'test/accounts/**/*.test.ts', 'test/features/**/*.test.ts'],
          // The page checks (axe on every page, both languages, two sizes) look at rendering, which no
          // engine changes; the journeys that write run on both.
          exclude: ['test/features/portal*Pages.test.ts'],
          env: { NODE_ENV: 'test', TEST_ENGINE: 'pg' },
        },
      },
    ],
  },
});
