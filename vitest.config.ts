import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/sim/**/*.test.ts'],
    environment: 'node',
    // Two cores on the build machines: keep the pool small so worker-placement tests have room.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
