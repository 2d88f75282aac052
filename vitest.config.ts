import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Component tests (test/web/*.test.tsx) render the web app's React.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // SQLite files and PostgreSQL databases are per test file, so files may run in parallel.
    pool: 'forks',
  },
});
