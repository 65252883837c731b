import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Each file creates its own database; the first may also start an embedded PostgreSQL (~2.5 s).
    hookTimeout: 60_000,
    testTimeout: 60_000,
  },
});
