import { defineConfig } from 'vitest/config';

// Three tiers, as in the README: unit tests beside the pure domain code, integration tests
// through HTTP against SQLite and PostgreSQL, and end-to-end tests in headless Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
          // The simulation and clustering checks take seconds each; on a busy 2-core machine
          // vitest's 5 s default cut them off (seen under load). A limit on the harness, not a
          // speed target: those live in `npm run bench`.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
