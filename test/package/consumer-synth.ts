/**
 * `npm run test:package`: the package as a platform team gets it. Packs it (prepack builds dist/), installs the tarball
 * into a fresh project of its own (aws-cdk-lib and constructs at this repository's versions, from npm's cache), writes
 * the app of README.md's "Use it in your own CDK app" with the example configuration as props, runs it with plain
 * node as the CDK CLI would (CDK_OUTDIR set: the app synthesises, esbuild bundling included) and checks the template.
 *
 * Slow (a full install and three bundles), so not part of vitest. Prints each check, then one machine-readable line
 * `package checks: N passed, N failed`; with `--json PATH` also writes `{ "passed": N, "failed": N, "checks": [...] }`.
 * Exits non-zero when any check failed.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { json: { type: 'string' }, keep: { type: 'boolean', default: false } } });

interface Check {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}
const checks: Check[] = [];
function check(name: string, passed: boolean, detail = ''): boolean {
  checks.push({ name, passed, detail });
  console.log(`${passed ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  return passed;
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function tail(result: SpawnSyncReturns<string>): string {
  const text = `${result.stdout ?? ''}\n${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
  return text.trim().split('\n').slice(-15).join('\n');
}

/** The README's app, between its markers: the test runs what the manual shows, not a copy that could drift. */
function readmeApp(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- consumer-app:start[^>]*-->\s*```ts\n([\s\S]*?)```\s*<!-- consumer-app:end -->/.exec(readme);
  if (!block?.[1]) throw new Error('README.md has no consumer-app block between its markers');
  return block[1];
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

const work = mkdtempSync(join(tmpdir(), 'acm-mail-package-'));
try {
  main();
} finally {
  if (values.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
report();

function main(): void {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const versionOf = (name: string) => lock.packages[`node_modules/${name}`]?.version ?? 'missing';

  // Pack.
  const pack = run('npm', ['pack', '--json', '--pack-destination', work], ROOT);
  const packed = pack.status === 0 ? (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as PackResult[]) : [];
  const tarball = packed[0];
  if (tarball === undefined) {
    check('npm pack', false, tail(pack));
    return;
  }
  const sizes = `${kB(tarball.size)} packed, ${kB(tarball.unpackedSize)} unpacked, ${tarball.files.length} files`;
  check('npm pack', true, `${tarball.filename}, ${sizes}`);
  const shipped = tarball.files.map((file) => file.path);
  const unwanted = shipped.filter((path) => /(^|\/)(test|fixtures|bench|scratch|out)\/|\.test\.ts$|\.eml$/.test(path));
  check('the tarball holds no tests, fixtures or benchmarks', unwanted.length === 0, unwanted.slice(0, 5).join(', '));
  const needed = [
    'dist/infra/index.js',
    'dist/infra/index.d.ts',
    'handlers/lambda/router.ts',
    'infra/config/configuration.schema.json',
  ];
  const missing = needed.filter((path) => !shipped.includes(path));
  check(
    'the tarball holds the compiled library, its types and the handlers to bundle',
    missing.length === 0,
    missing.join(', '),
  );

  // A fresh consumer project.
  const app = join(work, 'consumer');
  run('mkdir', ['-p', app], work);
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify(
      {
        name: 'platform-team-cdk-app',
        private: true,
        type: 'module',
        dependencies: {
          'acm-validation-mail': `file:../${tarball.filename}`,
          'aws-cdk-lib': versionOf('aws-cdk-lib'),
          constructs: versionOf('constructs'),
        },
      },
      null,
      2,
    )}\n`,
  );
  const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app);
  if (
    !check(
      'npm install of the tarball in a fresh project',
      install.status === 0,
      install.status === 0 ? '' : tail(install),
    )
  )
    return;

  // The README's app, with the example configuration as props.
  writeFileSync(join(app, 'app.mjs'), readmeApp());
  writeFileSync(join(app, 'acm-mail.json'), readFileSync(join(ROOT, 'infra/config/example.json')));
  const outdir = join(app, 'cdk.out');
  const synth = run('node', ['app.mjs'], app, {
    CDK_OUTDIR: outdir,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: 'no-such-profile',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const templatePath = join(outdir, 'CertificateMail.template.json');
  if (
    !check(
      'the README app synthesises with plain node',
      synth.status === 0 && existsSync(templatePath),
      synth.status === 0 ? '' : tail(synth),
    )
  )
    return;

  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources: Record<string, Resource> };
  const resources = Object.values(template.Resources);
  const ofType = (type: string) => resources.filter((resource) => resource.Type === type);

  const rules = ofType('AWS::SES::ReceiptRule').map((rule) => rule.Properties?.Rule as ReceiptRule);
  const recipients = rules.flatMap((rule) => rule.Recipients ?? []);
  const actionsInOrder = rules.every((rule) => {
    const kinds = (rule.Actions ?? []).map((action) => Object.keys(action)[0]);
    return kinds[0] === 'S3Action' && kinds[1] === 'LambdaAction';
  });
  check(
    'the receipt rule: the five mailboxes of each SES domain, archive then router, TLS and scanning',
    rules.length > 0 &&
      actionsInOrder &&
      rules.every((rule) => rule.TlsPolicy === 'Require' && rule.ScanEnabled === true) &&
      ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'].every(
        (mailbox) =>
          recipients.includes(`${mailbox}@acm-mail.example.com`) && recipients.includes(`${mailbox}@example.net`),
      ),
    `${rules.length} rule(s), ${recipients.length} recipient(s)`,
  );

  const buckets = ofType('AWS::S3::Bucket');
  const archive = buckets.filter((bucket) =>
    JSON.stringify(bucket.Properties?.LifecycleConfiguration ?? {}).includes('inbound/'),
  );
  check('the archive bucket, with its raw-mail lifecycle', archive.length === 1, `${buckets.length} bucket(s)`);

  const functions = ofType('AWS::Lambda::Function').filter((fn) => fn.Properties?.Runtime === 'nodejs24.x');
  const described = (start: string) =>
    functions.some((fn) => String(fn.Properties?.Description ?? '').startsWith(start));
  check(
    'the router, digest and canary functions',
    described('Parses ACM validation mail') &&
      described('Mails each owner a summary') &&
      described('Mails a signed probe'),
    `${functions.length} function(s) on nodejs24.x`,
  );

  // Each function's code is a bundle made here, by esbuild from the installed package (no Docker).
  const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
  const bundles = assets.filter((name) => existsSync(join(outdir, name, 'index.mjs')));
  const smallest = Math.min(...bundles.map((name) => statSync(join(outdir, name, 'index.mjs')).size));
  check(
    'every function bundled by esbuild in the consumer project',
    bundles.length >= 3 && smallest > 10_000,
    `${bundles.length} bundle(s), smallest ${kB(smallest)}`,
  );

  // Props are checked with the file's messages, named from `props`.
  const broken = JSON.parse(readFileSync(join(ROOT, 'infra/config/example.json'), 'utf8')) as {
    owners: { ticketQueue: unknown[] }[];
  };
  broken.owners[0]?.ticketQueue.push('not-an-address');
  writeFileSync(join(app, 'acm-mail.json'), JSON.stringify(broken));
  const refused = run('node', ['app.mjs'], app, { CDK_OUTDIR: join(app, 'cdk.out.refused') });
  check(
    'bad props are refused, named from props',
    refused.status !== 0 && refused.stderr.includes('props.owners[0].ticketQueue[1]: "not-an-address"'),
    refused.status === 0
      ? 'synthesised'
      : (refused.stderr.split('\n').find((line) => line.includes('props.')) ?? tail(refused)),
  );

  // A TypeScript app type-checks against the package's declarations (the README's app, as .ts).
  writeFileSync(join(app, 'app.ts'), readmeApp());
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
      },
      files: ['app.ts', 'props.ts'],
    }),
  );
  // The example file as a TypeScript literal of the props type: every field the file has, the props have.
  writeFileSync(
    join(app, 'props.ts'),
    `import type { AcmValidationMailProps } from 'acm-validation-mail';\n\nexport const props: AcmValidationMailProps = ${readFileSync(join(ROOT, 'infra/config/example.json'), 'utf8')};\n`,
  );
  const tsc = run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', '.'], app);
  check(
    'a TypeScript app type-checks against the shipped declarations',
    tsc.status === 0,
    tsc.status === 0 ? '' : tail(tsc),
  );
}

interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string }[];
}

interface ReceiptRule {
  readonly Recipients?: string[];
  readonly Actions?: Record<string, unknown>[];
  readonly TlsPolicy?: string;
  readonly ScanEnabled?: boolean;
}

function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

function report(): void {
  const passed = checks.filter((entry) => entry.passed).length;
  const failed = checks.length - passed;
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ passed, failed, checks }, null, 2)}\n`);
  console.log(`package checks: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || checks.length === 0 ? 1 : 0;
}
