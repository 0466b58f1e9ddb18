import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The AWS SDK's nine-line Node 20 notice, once per worker, would bury the test report; bin/acm-mail.mjs says why it is
// harmless (it concerns SDK releases newer than package-lock.json's). Workers inherit this environment.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const TESTS = 'test/**/*.test.ts';
/** Files that replace a module with vi.mock: the replacement lasts for the file, so each keeps a module graph alone. */
const MOCKING = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.test.ts'))
  .map((path) => `test/${path.replaceAll('\\', '/')}`)
  .filter((path) => /\bvi\.(?:mock|doMock)\(/.test(readFileSync(path, 'utf8')));

export default defineConfig({
  test: {
    // Fails the run when any test wrote into out/, which is the person's (test/support/out-folder-guard.ts).
    globalSetup: ['test/support/out-folder-guard.ts'],
    // Hostile-input tests build large buffers; keep workers few on the 2-core machines.
    maxWorkers: 2,
    // A hang guard with a wide margin, never a target: a test that needs longer says so and why.
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          // Files share one module graph per worker: importing aws-cdk-lib, the SDK, the emulators and the parser
          // again for every file was more than half of npm test's time (62 s of 89 for the emulator and CLI files).
          // What a file starts it stops (emulators, servers, temporary folders), every test builds its own ports,
          // stores and apps, and nothing in handlers/ keeps state at module level outside the Lambda entries, which
          // only the bundling test loads, from bundles of its own.
          name: 'shared',
          include: [TESTS],
          exclude: MOCKING,
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING } },
    ],
  },
});
