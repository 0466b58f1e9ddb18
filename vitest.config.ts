import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails the run when any test wrote into out/, which is the person's (test/support/out-folder-guard.ts).
    globalSetup: ['test/support/out-folder-guard.ts'],
    // Hostile-input tests build large buffers; keep workers few on the 2-core machines.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
