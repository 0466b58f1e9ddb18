/**
 * One synth with real bundling (esbuild from devDependencies, no Docker), then the bundles themselves are loaded
 * and run: proof that the ESM output, its require() shim and the bundled configuration work outside the sources.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../handlers/adapters/aws-clients.js';
import { dynamoDbRequestStore } from '../../handlers/adapters/dynamodb-request-store.js';
import {
  createRequestTable,
  LOCAL_CREDENTIALS,
  type LocalServices,
  startLocalServices,
} from '../../handlers/local/services.js';
import { BUNDLE_SHIMS } from '../../infra/constructs/pipeline-function.js';
import { exampleJson } from '../support/configuration.js';
import { logicalId, resourcesOf, type Synthesised, synthesise } from '../support/infra.js';

// The bundles leave @aws-sdk/* to the runtime; here the project's node_modules stands in for it, through a link beside
// them in a temporary folder, so that npm test writes nothing into the project (rmSync removes the link, not its
// target).
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'acm-mail-test-bundles-'));
symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(outdir, 'node_modules'), 'dir');
let synthesised: Synthesised;
// One set of emulators for the bundles run below; each test uses its own table.
let services: LocalServices;

beforeAll(async () => {
  synthesised = synthesise(exampleJson(), { bundle: true, outdir });
  synthesised.app.synth();
  services = await startLocalServices();
}, 120_000);
afterAll(async () => {
  rmSync(outdir, { recursive: true, force: true });
  await services.stop();
});

/** A fresh state table on the emulators, with a client to write to it. */
async function tableNamed(name: string) {
  const clients = awsClients({ region: 'eu-west-1', endpoints: services.endpoints, credentials: LOCAL_CREDENTIALS });
  await createRequestTable(clients.dynamodb, name);
  return clients;
}

function bundleOf(fn: Parameters<typeof logicalId>[1]): string {
  const resource = resourcesOf(synthesised.template, 'AWS::Lambda::Function')[logicalId(synthesised.stack, fn)];
  const key = String(resource.Properties.Code.S3Key).replace(/\.zip$/, '');
  return join(outdir, `asset.${key}`);
}

describe('the bundled functions', () => {
  it('are single ESM files with source maps, minified', () => {
    for (const fn of [
      synthesised.stack.pipeline.router.function,
      synthesised.stack.pipeline.digest.function,
      synthesised.stack.pipeline.inbound.activationFunction?.function,
    ]) {
      if (!fn) throw new Error('missing function');
      const dir = bundleOf(fn);
      expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code).toMatch(/export\s*\{[^}]*as handler/);
      // Minified: a few very long lines (template literals and legal comments keep some line breaks).
      expect(code.length / code.split('\n').length).toBeGreaterThan(300);
    }
  });

  it('leave the AWS SDK to the runtime', () => {
    const code = readFileSync(
      join(bundleOf(synthesised.stack.pipeline.inbound.activationFunction?.function ?? synthesised.stack), 'index.mjs'),
      'utf8',
    );
    expect(code).toMatch(/from\s*"@aws-sdk\/client-ses"/);
  });

  it('router: loads in a fresh Node process, validates its configuration, reads its environment and the table', async () => {
    const clients = await tableNamed('bundle-test');
    const event = JSON.parse(
      readFileSync(new URL('../../fixtures/events/ses-lambda-action.json', import.meta.url), 'utf8'),
    );
    const messageId = event.Records[0].ses.mail.messageId;
    // An outcome already recorded: the bundled router must find it in DynamoDB and do nothing more.
    await dynamoDbRequestStore(clients.dynamodb, 'bundle-test').recordOutcome({
      messageId,
      outcome: 'routed',
      requestKey: 'arn:aws:acm:eu-west-1:184694211251:certificate/x|www.example.net',
      reasons: [],
      detail: null,
      recordedAt: '2026-11-20T09:14:04.000Z',
      expiresAtEpoch: 1_900_000_000,
    });
    const environment = {
      PATH: process.env.PATH,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: services.endpoints.dynamodb,
      ARCHIVE_BUCKET: 'archive',
      REQUEST_TABLE: 'bundle-test',
      APPROVALS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:000000000000:approvals',
      ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:000000000000:alerts',
      SENDER_ADDRESS: 'acm-mail@notify.example.org',
      EVENT_BUS_NAME: 'bundle-test-events',
      POWERTOOLS_METRICS_NAMESPACE: 'BundleTest',
    };
    // Asynchronous on purpose: the emulators run in this process and must keep answering.
    const invoke = (env: Record<string, string | undefined>) =>
      runNode(
        [
          '--input-type=module',
          '-e',
          'const m = await import(process.argv[1]); console.log(JSON.stringify(await m.handler(JSON.parse(process.argv[2]))));',
          pathToFileURL(join(bundleOf(synthesised.stack.pipeline.router.function), 'index.mjs')).href,
          JSON.stringify(event),
        ],
        env,
      );
    const run = await invoke(environment);
    expect(run.stderr).not.toMatch(/Error/);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).toEqual([
      {
        messageId,
        outcome: 'routed',
        requestKey: expect.stringContaining('|www.example.net'),
        alreadyRecorded: true,
      },
    ]);

    const missing = await invoke({ ...environment, REQUEST_TABLE: undefined });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('environment variable REQUEST_TABLE is not set');
  }, 60_000);

  it('digest: loads in a fresh Node process and reads the empty table through its index: nothing to send', async () => {
    await tableNamed('digest-bundle-test');
    const run = await runNode(
      [
        '--input-type=module',
        '-e',
        'const m = await import(process.argv[1]); const r = await m.handler(); console.log(JSON.stringify(r.mails));',
        pathToFileURL(join(bundleOf(synthesised.stack.pipeline.digest.function), 'index.mjs')).href,
      ],
      {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: services.endpoints.dynamodb,
        REQUEST_TABLE: 'digest-bundle-test',
        SENDER_ADDRESS: 'acm-mail@notify.example.org',
      },
    );
    expect(run.stderr).not.toMatch(/Error/);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).toEqual([]);
  }, 60_000);
});

describe('the events handler bundle', () => {
  it('loads in a fresh Node process and records one outcome per ACM event id in the table', async () => {
    const clients = await tableNamed('acm-events-bundle-test');
    const event = { id: 'bundle-test-event', source: 'aws.acm', 'detail-type': 'ACM Certificate Rotated' };
    const run = await runNode(
      [
        '--input-type=module',
        '-e',
        'const m = await import(process.argv[1]); console.log(JSON.stringify(await m.handler(JSON.parse(process.argv[2]))));',
        pathToFileURL(join(bundleOf(synthesised.stack.pipeline.acmEvents.handler.function), 'index.mjs')).href,
        JSON.stringify(event),
      ],
      {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: services.endpoints.dynamodb,
        REQUEST_TABLE: 'acm-events-bundle-test',
        ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:000000000000:alerts',
        SENDER_ADDRESS: 'acm-mail@notify.example.org',
        EVENT_BUS_NAME: 'AcmValidationMail-events',
        POWERTOOLS_METRICS_NAMESPACE: 'AcmValidationMail/test',
      },
    );
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).toEqual({
      eventId: 'bundle-test-event',
      outcome: 'unreadable',
      requestKeys: [],
      alreadyRecorded: false,
    });
    const { dynamoDbCertificateEventStore } = await import(
      '../../handlers/adapters/dynamodb-certificate-event-store.js'
    );
    const recorded = await dynamoDbCertificateEventStore(clients.dynamodb, 'acm-events-bundle-test').recordedOutcome(
      'bundle-test-event',
    );
    expect(recorded?.outcome).toBe('unreadable');
  }, 60_000);
});

describe('our own DKIM check in the Lambda bundle (mailauth with its two stand-ins, infra/bundle-shims/)', () => {
  it('the router bundle holds mailauth, and neither joi nor tldts', () => {
    const map = JSON.parse(
      readFileSync(join(bundleOf(synthesised.stack.pipeline.router.function), 'index.mjs.map'), 'utf8'),
    ) as { sources: string[] };
    expect(map.sources.some((source) => source.includes('node_modules/mailauth/'))).toBe(true);
    expect(map.sources.filter((source) => /node_modules\/(joi|tldts)\//.test(source))).toEqual([]);
    expect(map.sources.some((source) => source.includes('infra/bundle-shims/joi.cjs'))).toBe(true);
  });

  it('verifies ACM signatures exactly as the sources do', async () => {
    const { build } = await import('esbuild');
    const entry = join(outdir, 'own-dkim-entry.ts');
    writeFileSync(
      entry,
      [
        `import { readFileSync } from 'node:fs';`,
        `import { checkAcmSignature } from ${JSON.stringify(join(PROJECT_ROOT, 'handlers/core/own-dkim.ts'))};`,
        `import { keysFileTxtResolver, recordsTxtResolver } from ${JSON.stringify(join(PROJECT_ROOT, 'handlers/adapters/dns-txt-resolver.ts'))};`,
        'const [keys, ...mails] = process.argv.slice(2);',
        'const now = new Date();',
        'const fixture = keysFileTxtResolver(keys);',
        `const badKey = recordsTxtResolver({ 'acm-fixture-2026._domainkey.certificates.amazon.com': 'v=DKIM1; k=rsa; p=not*base64' });`,
        'const verdicts = [];',
        'for (const mail of mails) verdicts.push(await checkAcmSignature(readFileSync(mail), { resolver: fixture, now }));',
        'verdicts.push(await checkAcmSignature(readFileSync(mails[0]), { resolver: badKey, now }));',
        'console.log(JSON.stringify(verdicts));',
      ].join('\n'),
    );
    const bundle = join(outdir, 'own-dkim-bundle.mjs');
    await build({
      entryPoints: [entry],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      absWorkingDir: PROJECT_ROOT,
      alias: Object.fromEntries(BUNDLE_SHIMS.map((shim) => shim.split('=') as [string, string])),
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const fixture = (name: string) => join(PROJECT_ROOT, 'fixtures/mail', `${name}.eml`);
    const run = await runNode(
      [
        bundle,
        join(PROJECT_ROOT, 'fixtures/dkim/keys.json'),
        fixture('current-new-text-html'),
        fixture('own-dkim-body-altered-after-signing'),
        fixture('own-dkim-key-not-published'),
        fixture('own-dkim-no-acm-signature'),
      ],
      { PATH: process.env.PATH },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(['pass', 'fail', 'fail', 'none', 'fail']);
  }, 60_000);
});

function runNode(args: readonly string[], env: Record<string, string | undefined>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, args, { env, timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
