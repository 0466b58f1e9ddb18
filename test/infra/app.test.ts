/** The CDK app as a platform team runs it: `npx cdk synth -c config=path`, offline, no credentials. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleWith } from '../support/configuration.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'acm-mail-app-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cdkSynth(configPath: string) {
  return spawnSync(
    join(ROOT, 'node_modules/.bin/cdk'),
    ['synth', '--quiet', '--no-notices', '--output', join(work, 'cdk.out'), '-c', `config=${configPath}`],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 90_000,
      // No credentials, and no way to find any: the synth must not need them.
      env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'no-such-profile' },
    },
  );
}

describe('cdk synth -c config=path', () => {
  it('stops before building anything when the file is invalid, naming each field, value and expectation', () => {
    const path = join(work, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify(
        exampleWith((c) => {
          c.region = 'eu-south-1';
          c.accounts[0].id = '1234';
        }),
      ),
    );
    const run = cdkSynth(path);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`${path}: 2 problem(s) in the configuration`);
    expect(run.stderr).toContain('config.region: "eu-south-1" is not a region where SES receives mail');
    expect(run.stderr).toContain('config.accounts[0].id: "1234" is not an AWS account id (expected 12 digits');
    expect(run.stderr).not.toContain('Bundling asset');
  }, 90_000);

  it('says so when the file does not exist', () => {
    const path = join(work, 'missing.json');
    const run = cdkSynth(path);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`cannot read the configuration ${path}: it does not exist\n`);
  }, 90_000);

  it('gives the line and column of invalid JSON', () => {
    const path = join(work, 'trailing-comma.json');
    writeFileSync(path, '{\n  "region": "eu-west-1",\n}\n');
    const run = cdkSynth(path);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(
      `the configuration ${path} is not valid JSON: line 3, column 1: Expected double-quoted property name (JSON allows no comma before the closing })\n`,
    );
  }, 90_000);
});
