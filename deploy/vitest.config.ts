import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The suites start real Prometheus and Alertmanager processes and mostly wait for scrapes and evaluations, so
    // files run side by side (each on its own free ports and temporary folders) even on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 45_000,
    maxWorkers: 4,
  },
});
