import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each integration file creates a database, migrates it and starts the app: seconds on a busy machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
