import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One embedded PostgreSQL for the run when DATABASE_URL is unset; each file creates its own database on it.
    globalSetup: ['./vitest.global-setup.ts'],
    hookTimeout: 60_000,
    testTimeout: 60_000,
  },
});
