import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Hostile-input tests build large buffers; keep workers few on the 2-core machines.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
