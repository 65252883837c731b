import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Integration files run real SSH sessions against a simulated fleet and a worker child process: one file at a
    // time keeps their timing honest on a 2-core machine.
    fileParallelism: false,
    hookTimeout: 60_000,
    testTimeout: 60_000,
  },
});
