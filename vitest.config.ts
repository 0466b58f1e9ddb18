import { defineConfig } from 'vitest/config';

// The AWS SDK's nine-line Node 20 notice, once per worker, would bury the test report; bin/acm-mail.mjs says why it is
// harmless (it concerns SDK releases newer than package-lock.json's). Workers inherit this environment.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
