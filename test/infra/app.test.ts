/** The CDK app as a platform team runs it: `npx cdk synth -c config=path`, offline, no credentials. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWith } from '../support/configuration.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'acm-mail-app-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface CdkRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `cdk synth` as a separate process, with an output directory of its own so that two can run at once. */
function cdkSynth(configPath: string, outdir: string): Promise<CdkRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(ROOT, 'node_modules/.bin/cdk'),
      ['synth', '--quiet', '--no-notices', '--output', join(work, outdir), '-c', `config=${configPath}`],
      {
        cwd: ROOT,
        timeout: 90_000,
        // No credentials, and no way to find any: the synth must not need them.
        env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'no-such-profile' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const badPath = join(work, 'bad.json');
const missingPath = join(work, 'missing.json');
const trailingCommaPath = join(work, 'trailing-comma.json');
let bad: CdkRun;
let missing: CdkRun;
let trailingComma: CdkRun;

// Each process takes seconds (the CLI, then tsx and aws-cdk-lib): all three run at once, before the tests read them.
beforeAll(async () => {
  writeFileSync(
    badPath,
    JSON.stringify(
      exampleWith((c) => {
        c.region = 'eu-south-1';
        c.accounts[0].id = '1234';
      }),
    ),
  );
  writeFileSync(trailingCommaPath, '{\n  "region": "eu-west-1",\n}\n');
  [bad, missing, trailingComma] = await Promise.all([
    cdkSynth(badPath, 'bad.out'),
    cdkSynth(missingPath, 'missing.out'),
    cdkSynth(trailingCommaPath, 'trailing-comma.out'),
  ]);
}, 120_000);

describe('cdk synth -c config=path', () => {
  it('stops before building anything when the file is invalid, naming each field, value and expectation', () => {
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain(`${badPath}: 2 problem(s) in the configuration`);
    expect(bad.stderr).toContain('config.region: "eu-south-1" is not a region where SES receives mail');
    expect(bad.stderr).toContain('config.accounts[0].id: "1234" is not an AWS account id (expected 12 digits');
    expect(bad.stderr).not.toContain('Bundling asset');
  });

  it('says so when the file does not exist', () => {
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain(`cannot read the configuration ${missingPath}: it does not exist
`);
  });

  it('gives the line and column of invalid JSON', () => {
    expect(trailingComma.status).not.toBe(0);
    expect(trailingComma.stderr).toContain(
      `the configuration ${trailingCommaPath} is not valid JSON: line 3, column 1: Expected double-quoted property name (JSON allows no comma before the closing })
`,
    );
  });
});
