// Three layers of tests (docs/testing.md): unit (pure code), integration (real
// server on port 0, real SQLite files in a temp folder), end to end (real
// Chromium against browser mode). All three share one throwaway PostgreSQL
// server (test/support/postgres.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // Unit tests of SQL run against PostgreSQL too.
          globalSetup: ['test/support/postgres-global-setup.ts'],
          // The model-based and property tests walk thousands of paths; on a
          // shared, busy machine that can take well over the 5 s default.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/postgres-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // The web chat across two server processes runs on PostgreSQL.
          globalSetup: ['test/support/postgres-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
