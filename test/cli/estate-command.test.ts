/**
 * `acm-mail estate` against the local STS and ACM stub, with the example configuration and its seeded estate: the
 * three formats, --out, the exit code and stderr line for an account whose role cannot be assumed, usage errors.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmEstateLister, estateAcmClients } from '../../handlers/adapters/acm-estate-lister.js';
import { EXAMPLE_CONFIGURATION } from '../../handlers/adapters/configuration-file.js';
import { type EstateWiring, estateCommand } from '../../handlers/cli/estate-command.js';
import { main } from '../../handlers/cli/main.js';
import { ESTATE_CSV_COLUMNS } from '../../handlers/core/estate/csv.js';
import { type AcmEstateStub, startAcmEstateStub } from '../../handlers/local/acm-estate-stub.js';
import { exampleEstate } from '../../handlers/local/estate-seed.js';
import { capture } from '../support/cli.js';

const NOW = new Date('2026-11-26T04:00:00Z');
const work = mkdtempSync(join(tmpdir(), 'acm-mail-estate-'));
let stub: AcmEstateStub;
beforeAll(async () => {
  stub = await startAcmEstateStub(exampleEstate(NOW));
});
afterAll(async () => {
  await stub.stop();
  rmSync(work, { recursive: true, force: true });
});

const wiring = (): EstateWiring => ({
  lister: acmEstateLister({
    sts: new STSClient({
      region: 'eu-west-1',
      endpoint: stub.endpoint,
      credentials: { accessKeyId: 'AKIASHELL', secretAccessKey: 'x' },
    }),
    acmClient: estateAcmClients({ endpoint: stub.endpoint }),
  }),
  history: null,
  historyNote: 'not read (--no-mail-history)',
  clock: () => NOW,
});

async function estate(args: string[], tty?: boolean) {
  const { out, io } = capture(tty);
  const exit = await estateCommand(['--config', EXAMPLE_CONFIGURATION, ...args], io, wiring());
  return { exit, ...out };
}

describe('acm-mail estate', () => {
  it('prints the estate and the way off email validation for a person, exit 0 when all is listed', async () => {
    const run = await estate([]);
    expect(run.exit).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      '7 certificates in 4 accounts (eu-west-1, us-east-1); 5 validated by email, 3 ready for DNS validation now, 1 not in use and expiring within 45 days',
    );
    expect(run.stdout).toContain('approval mail seen: unknown (not read (--no-mail-history))');
    expect(run.stdout).toMatch(
      /^no status role \(accounts\[\]\.statusRoleArn\), not listed: api-prod \(147588208287\), /m,
    );
    // The certificate nobody expects comes first, then the ready ones, then the rest.
    const first = run.stdout.indexOf('old-portal.example.com');
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(run.stdout.indexOf('  portal.example.com'));
    expect(run.stdout).toContain(
      'NOT READY: a CNAME is needed outside the known hosted zones for *.analytics.example.org, analytics.example.org',
    );
    expect(run.stdout).toContain('aws cloudfront get-distribution-config --id E2QWRUHEXAMPLE');
  });

  it('writes CSV and JSON with --out, saying where', async () => {
    const csvPath = join(work, 'estate.csv');
    const csv = await estate(['--csv', '--out', csvPath]);
    expect(csv).toEqual({ exit: 0, stdout: `written ${csvPath}: 7 certificates\n`, stderr: '' });
    const rows = readFileSync(csvPath, 'utf8').split('\r\n');
    expect(rows[0]).toBe(ESTATE_CSV_COLUMNS.join(','));
    expect(rows).toHaveLength(1 + 7 + 1);

    const json = await estate(['--json']);
    const document = JSON.parse(json.stdout);
    expect(document.counts).toEqual({
      certificates: 7,
      emailValidated: 5,
      readyNow: 3,
      unusedExpiringSoon: 1,
      unlisted: 0,
    });
    const portal = document.certificates.find((c: { domain: string }) => c.domain === 'portal.example.com');
    expect(portal).toMatchObject({
      accountName: 'portal-prod',
      region: 'us-east-1',
      inUseTypes: ['cloudfront:distribution'],
      renewalStatus: 'PENDING_VALIDATION',
      advice: { ready: true, externalNames: [] },
    });
    expect(document.certificates.find((c: { domain: string }) => c.domain === 'status.example.com').advice).toBeNull();
  });

  it('says once that the shell has no credentials, not once per account, and exits 1', async () => {
    const noCredentials = async () => {
      // What the SDK's default provider chain throws when it finds nothing.
      const error = new Error('Could not load credentials from any providers');
      error.name = 'CredentialsProviderError';
      throw error;
    };
    const { out, io } = capture();
    const exit = await estateCommand(['--config', EXAMPLE_CONFIGURATION, '--json'], io, {
      ...wiring(),
      lister: acmEstateLister({
        sts: new STSClient({ region: 'eu-west-1', endpoint: stub.endpoint, credentials: noCredentials }),
        acmClient: estateAcmClients({ endpoint: stub.endpoint }),
      }),
    });
    expect(exit).toBe(1);
    expect(out.stderr).toBe(
      'acm-mail estate: no AWS credentials in this shell, so no status role can be assumed: set AWS_PROFILE ' +
        '(or the AWS_ACCESS_KEY_ID family) to a role estate.readerRoleArns names, then run again\n',
    );
    // The report still says which accounts were not listed, and why.
    expect(JSON.parse(out.stdout).unlisted).toHaveLength(4);
  });

  it('names an account whose role cannot be assumed on stderr, lists the others, and exits 1', async () => {
    stub.deniedRoles.add('arn:aws:iam::184694211251:role/AcmValidationMail-acm-status');
    try {
      const run = await estate(['--json']);
      expect(run.exit).toBe(1);
      expect(run.stderr).toMatch(
        /^acm-mail estate: shop-prod \(184694211251\) not listed: cannot assume arn:aws:iam::184694211251:role\/AcmValidationMail-acm-status: AccessDenied: /,
      );
      const document = JSON.parse(run.stdout);
      expect(document.certificates.map((c: { accountName: string }) => c.accountName)).not.toContain('shop-prod');
      expect(document.certificates).toHaveLength(4);
      expect(document.unlisted).toHaveLength(1);
    } finally {
      stub.deniedRoles.clear();
    }
  });

  it('shows each account on a terminal only, then blanks the line', async () => {
    const run = await estate(['--csv'], true);
    expect(run.stderr).toContain('\rlisting portal-prod (133914839485), account 1 of 20');
    expect(run.stderr).toMatch(/\r +\r$/);
    expect((await estate(['--csv'], false)).stderr).toBe('');
  });

  it.each([
    [['estate'], '--config FILE is required'],
    [['estate', '--config', EXAMPLE_CONFIGURATION, '--json', '--csv'], '--json and --csv cannot both be given'],
    [
      ['estate', '--config', EXAMPLE_CONFIGURATION, '--concurrency', '0'],
      '--concurrency: "0" is not a whole number from 1 to 16',
    ],
    [['estate', '--config', EXAMPLE_CONFIGURATION, 'stray'], 'unexpected argument "stray"'],
  ])('exits 64 with usage for %j', async (args, problem) => {
    const { out, io } = capture();
    expect(await main(args, io)).toBe(64);
    expect(out.stderr).toContain(`acm-mail estate: ${problem}`);
    expect(out.stderr).toContain('usage: acm-mail estate --config FILE');
  });

  it('has its own help, and a line in the overview', async () => {
    const { out, io } = capture();
    expect(await main(['estate', '--help'], io)).toBe(0);
    expect(out.stdout).toContain('--no-mail-history');
    const overview = capture();
    await main(['--help'], overview.io);
    expect(overview.out.stdout).toContain('  estate --config FILE [--json | --csv]');
  });
});
