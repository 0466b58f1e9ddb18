import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../handlers/cli/main.js';
import { capture } from '../support/cli.js';
import { FIXTURE_DIR, FIXTURE_DKIM_KEYS, goldenFixtures } from '../support/fixtures.js';

describe('acm-mail parse --json', () => {
  const fixtures = goldenFixtures();

  it("prints one JSON line per file, in input order, each the fixture's expected parse", async () => {
    const { out, io } = capture();
    const files = fixtures.map((fixture) => fixture.emlPath);
    const exit = await main(['parse', '--json', '--dkim-keys', FIXTURE_DKIM_KEYS, ...files], io);
    const lines = out.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(exit).toBe(0);
    expect(out.stderr).toBe('');
    expect(lines).toEqual(fixtures.map((fixture) => ({ file: fixture.emlPath, ...fixture.expected })));
    expect(Object.keys(lines[0])).toEqual(['file', 'kind', 'trust', 'reasons', 'subject', 'messageId', 'approval']);
  });

  it('reports an unreadable file on stderr, still processes the others, and exits 2', async () => {
    const { out, io } = capture();
    const good = join(FIXTURE_DIR, 'current-new-text-only.eml');
    const exit = await main(
      ['parse', '--json', '--dkim-keys', FIXTURE_DKIM_KEYS, 'no/such/file.eml', good, FIXTURE_DIR],
      io,
    );
    expect(exit).toBe(2);
    expect(out.stderr).toBe(
      'acm-mail parse: cannot read no/such/file.eml: it does not exist\n' +
        `acm-mail parse: cannot read ${FIXTURE_DIR}: it is a folder; pass its .eml files, or use run\n`,
    );
    expect(
      out.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line).file),
    ).toEqual([good]);
  });

  it.each([
    [['parse']],
    [['parse', '--yaml', 'x.eml']],
    [['parse', 'x.eml', '--dkim-keys']],
    [['frobnicate']],
    [[]],
  ])('exits 64 with usage for %j', async (args) => {
    const { out, io } = capture();
    expect(await main(args, io)).toBe(64);
    expect(out.stderr).toContain('usage: acm-mail');
  });
});

describe('acm-mail parse (table)', () => {
  it('prints a header and one aligned row per file', async () => {
    const { out, io } = capture();
    const file = join(FIXTURE_DIR, 'link-port.eml');
    expect(await main(['parse', '--dkim-keys', FIXTURE_DKIM_KEYS, file], io)).toBe(0);
    const [header, row] = out.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^file\s+kind\s+trust\s+domain\s+account\s+region\s+reasons$/);
    expect(row).toMatch(
      /link-port\.eml\s+acm-approval\s+suspicious\s+link-port\.example\.com\s+\d{12}\s+us-east-1\s+link-port$/,
    );
  });
});

describe('acm-mail start', () => {
  // What start writes into out/ goes to a temporary folder here: npm test leaves a person's out/ alone.
  const outDir = mkdtempSync(join(tmpdir(), 'acm-mail-start-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  // One run of start, which the digest preview below reads like a person's out/ after npm start.
  let start: { exit: number; stdout: string; stderr: string };
  beforeAll(async () => {
    const { out, io } = capture();
    start = { exit: await main(['start'], { ...io, outDir }), ...out };
  }, 120_000);

  it('runs the whole local pipeline over every fixture and ends with the counts as JSON', () => {
    const out = start;
    expect(start.exit).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    const counts = JSON.parse(lines.at(-1) ?? '');
    const fixtures = goldenFixtures();
    expect(counts.messages).toBe(fixtures.length);
    expect(
      counts.routed + counts.duplicate + counts.foreignAccount + counts.suspicious + counts.notAcm + counts.unparseable,
    ).toBe(fixtures.length);
    expect(counts.failed).toBe(0);
    // Not a terminal: no progress; and the fixtures' .expected.json files are no skipped mail.
    expect(out.stderr).toBe('');
    // Every fixture that parses as not-acm is recorded as not-acm; every suspicious one is never routed.
    expect(counts.notAcm).toBe(fixtures.filter((f) => f.expected.kind === 'not-acm').length);
    expect(counts.tickets).toBe(counts.routed);
    expect(lines.filter((line) => line.startsWith('fixtures/mail/')).length).toBe(fixtures.length);
    expect(JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')).counts).toEqual(counts);
  });

  it("feeds ACM's events after the mail: a ticket closed in its thread and a missing-mail alert, in out/ and the counts", () => {
    const lines = start.stdout.trimEnd().split('\n');
    const counts = JSON.parse(lines.at(-1) ?? '');
    expect(counts).toMatchObject({ acmEvents: 4, ticketsClosed: 1, renewalAlerts: 1 });
    expect(start.stdout).toContain(
      'ACM events: 4 fed (renewal-mail-arrived, issued, expired, renewal-mail-missing); 1 ticket(s) closed with a ' +
        'follow-up in the thread, 1 renewal-mail-missing alert(s)\n',
    );
    const written = readdirSync(join(outDir, 'mail'));
    const issued = written.filter((name) => /^\d{3}-issued-/.test(name));
    expect(issued).toHaveLength(1);
    const followUp = readFileSync(join(outDir, 'mail', issued[0] ?? ''), 'utf8');
    expect(followUp).toMatch(/^Subject: Re: \[ACM approval\] new shop\.example\.net/m);
    expect(followUp).toMatch(/^In-Reply-To: <[^>]+@eu-west-1\.amazonses\.com>/m);
    const alerts = written.filter((name) => /^\d{3}-renewal-alert-/.test(name));
    // The owner's queue and the security contact.
    expect(alerts).toHaveLength(2);
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
    expect(summary.acmEvents.map((event: { outcome: string }) => event.outcome)).toEqual([
      'renewal-mail-arrived',
      'issued',
      'expired',
      'renewal-mail-missing',
    ]);
    // The events handler's product events went onto the central bus (its local stub), after the router's.
    const onTheBus = readFileSync(join(outDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { 'detail-type': string })
      .map((event) => event['detail-type'])
      .filter((type) => type === 'ACM Certificate Issued' || type === 'ACM Renewal Mail Missing');
    expect(onTheBus).toEqual(['ACM Certificate Issued', 'ACM Renewal Mail Missing']);
  });

  it('leaves what digest --preview renders by default, in the same folder', async () => {
    const { out, io } = capture();
    expect(await main(['digest', '--preview', '--at', '2026-11-25T08:00:00Z'], { ...io, outDir })).toBe(0);
    expect(out.stdout).toContain(`written ${join(outDir, 'digest-preview.html')} and the text beside it`);
    expect(readFileSync(join(outDir, 'digest-preview.html'), 'utf8')).toContain('<table');
  });

  it('takes no arguments', async () => {
    const { out, io } = capture();
    expect(await main(['start', 'x'], io)).toBe(64);
    expect(out.stderr).toContain('acm-mail start: takes no arguments');
  });
});

describe('configuration errors, the same from every command', () => {
  const work = mkdtempSync(join(tmpdir(), 'acm-mail-config-errors-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const badJson = join(work, 'bad.json');
  writeFileSync(badJson, '{\n  "region": "eu-west-1",\n}\n');
  const missing = join(work, 'missing.json');
  const commands: [string, (config: string) => string[]][] = [
    [
      'run',
      (config) => ['run', '--config', config, '--out', join(work, 'out'), join(FIXTURE_DIR, 'wildcard-domain.eml')],
    ],
    ['digest', (config) => ['digest', '--preview', '--config', config, '--out', join(work, 'preview.html')]],
    ['replay', (config) => ['replay', '--config', config, '--message-id', 'm']],
    ['doctor', (config) => ['doctor', '--config', config]],
  ];

  it.each(commands)('%s: invalid JSON by line and column, exit 2', async (command, args) => {
    const { out, io } = capture();
    expect(await main(args(badJson), io)).toBe(2);
    expect(out.stderr).toBe(
      `acm-mail ${command}: the configuration ${badJson} is not valid JSON: line 3, column 1: Expected double-quoted property name (JSON allows no comma before the closing })\n`,
    );
  });

  it.each(commands)('%s: a missing file named in words, exit 2', async (command, args) => {
    const { out, io } = capture();
    expect(await main(args(missing), io)).toBe(2);
    expect(out.stderr).toBe(`acm-mail ${command}: cannot read the configuration ${missing}: it does not exist\n`);
  });

  it('writes nothing when the configuration cannot be read', () => {
    expect(readdirSync(work).sort()).toEqual(['bad.json']);
  });
});

describe('the installed command', () => {
  it('runs through npx as a fresh process', async () => {
    const run = promisify(execFile);
    const { stdout } = await run('npx', [
      '--no-install',
      'acm-mail',
      'parse',
      '--json',
      '--dkim-keys',
      FIXTURE_DKIM_KEYS,
      join(FIXTURE_DIR, 'wildcard-domain.eml'),
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      kind: 'acm-approval',
      trust: 'trusted',
      reasons: [],
      approval: { domain: '*.example.org' },
    });
    // A hang guard, not a target: npx and a fresh tsx process take 6-7 s alone and passed 20 s on a 2-core machine
    // running two other suites.
  }, 90_000);

  // On Node 22 and later the SDK gives no such warning, and the assertion holds all the more: it runs on every version.
  it("keeps the AWS SDK's Node.js version warning out of a run", async () => {
    const run = promisify(execFile);
    const outDir = mkdtempSync(join(tmpdir(), 'acm-mail-npx-run-'));
    // As a user's shell has it: the variable unset, so only the command itself can silence the SDK.
    const env = { ...process.env };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    try {
      const { stdout, stderr } = await run(
        'npx',
        [
          '--no-install',
          'acm-mail',
          'run',
          '--out',
          outDir,
          '--dkim-keys',
          FIXTURE_DKIM_KEYS,
          join(FIXTURE_DIR, 'wildcard-domain.eml'),
        ],
        { env },
      );
      expect(stderr).toBe('');
      expect(JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({ messages: 1, failed: 0 });
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});
