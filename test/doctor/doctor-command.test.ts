/** `acm-mail doctor` as typed: its arguments, and the installed command against the local stand-ins. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCTOR, doctorDeps, readDoctorArguments } from '../../handlers/cli/doctor-command.js';
import { capture, runCommand } from '../support/cli.js';
import { exampleWith } from '../support/configuration.js';
import { ACCOUNT, type DoctorHarness, doctorConfiguration, startDoctorHarness } from '../support/doctor-harness.js';

describe('doctor arguments', () => {
  it('prints its usage on --help, exit 0', async () => {
    expect(await runCommand(['doctor', '--help'])).toEqual({ exit: 0, stdout: `${DOCTOR.usage}\n`, stderr: '' });
  });

  it.each([
    [['doctor'], '--config FILE is required (the configuration the stack was deployed with)'],
    [['doctor', '--config', 'c.json', '--verbose'], 'unknown option "--verbose"'],
    [['doctor', '--config', 'c.json', 'extra'], 'unexpected argument "extra" (doctor takes options only)'],
    [['doctor', '--config', 'c.json', '--probe=yes'], '--probe takes no value'],
  ])('%j is a usage error, exit 64', async (args, problem) => {
    const result = await runCommand(args);
    expect(result.exit).toBe(64);
    expect(result.stderr).toBe(`acm-mail doctor: ${problem}\n${DOCTOR.usage}\n`);
  });

  it('reads every option', () => {
    expect(
      readDoctorArguments([
        '--config=c.json',
        '--stack',
        'Other',
        '--json',
        '--probe',
        '--dns-server',
        '1.1.1.1',
        '--dns-server=127.0.0.1:5353',
      ]),
    ).toEqual({ config: 'c.json', stack: 'Other', json: true, probe: true, dnsServers: ['1.1.1.1', '127.0.0.1:5353'] });
  });
});

describe('--probe on a terminal', () => {
  const request = { config: 'c.json', stack: null, json: false, probe: true, dnsServers: [] };

  it('writes a line per arriving probe on stderr, between progress lines, only when stderr is a terminal', () => {
    const terminal = capture(true);
    const deps = doctorDeps(doctorConfiguration(), request, terminal.io);
    deps.progress('waiting for the probes');
    deps.onArrival('admin@example.net', 42);
    expect(terminal.out.stderr).toBe(
      `\rwaiting for the probes\r${' '.repeat(22)}\rprobe arrived: admin@example.net (42 s)\n\rwaiting for the probes`,
    );
    expect(terminal.out.stdout).toBe('');

    const pipe = capture();
    const quiet = doctorDeps(doctorConfiguration(), request, pipe.io);
    quiet.progress('waiting for the probes');
    quiet.onArrival('admin@example.net', 42);
    expect(pipe.out.stderr).toBe('');
  });
});

describe('the installed command', () => {
  let h: DoctorHarness;
  let work: string;
  let config: string;
  beforeAll(async () => {
    h = await startDoctorHarness();
    work = mkdtempSync(join(tmpdir(), 'acm-mail-doctor-'));
    config = join(work, 'config.json');
    writeFileSync(config, JSON.stringify(exampleWith((raw) => (raw.account = ACCOUNT))));
  });
  afterAll(async () => {
    await h.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("checks through the SDK's endpoint variables and the shell's credentials: exit 0 when all pass, 1 when not", async () => {
    // As a shell would have it: credentials in the environment, endpoints through AWS_ENDPOINT_URL_<SERVICE>.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_STS: h.aws.endpoint,
      AWS_ENDPOINT_URL_CLOUDFORMATION: h.aws.endpoint,
      AWS_ENDPOINT_URL_SES: h.aws.endpoint,
      AWS_ENDPOINT_URL_SESV2: h.aws.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: h.aws.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: h.aws.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: h.dynamoEndpoint,
    };
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    const run = promisify(execFile);
    const args = ['bin/acm-mail.mjs', 'doctor', '--config', config, '--dns-server', h.dns.server];
    // The installed command reads the real clock: the canary's round must be recent by it.
    await h.seedRound('run-now', new Date().toISOString());
    const passed = await run('node', [...args, '--json'], { env });
    const report = JSON.parse(passed.stdout);
    expect(report).toMatchObject({ account: ACCOUNT, region: 'eu-west-1', stack: 'AcmValidationMail', passed: true });
    expect(report.checks).toHaveLength(29);
    expect(h.aws.seen).toContain('lambda:GetAccountSettings');

    h.aws.state.sesAccount = { ProductionAccessEnabled: false, SendingEnabled: true, EnforcementStatus: 'HEALTHY' };
    const failed = await run('node', args, { env }).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain('FAIL  ses-sandbox');
    expect(failed?.stdout).toMatch(/\n1 of 29 checks failed\n$/);
    // A hang guard, not a target: two fresh tsx processes take 6-7 s each on a 2-core machine running other suites.
  }, 90_000);
});
