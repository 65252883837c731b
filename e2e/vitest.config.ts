import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file starts a whole stack (database, sim fleet, worker, api; Prometheus and Alertmanager for the
    // alerting file) and then mostly waits on polls and scrapes, so files run side by side; steps get generous
    // timeouts because the machine is shared, and every wait inside a test is bounded with its own message.
    testTimeout: 90_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
  },
});
