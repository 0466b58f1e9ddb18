/** The digest end to end on the emulators: what the router recorded, read through the index only, mailed by SES. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../handlers/adapters/aws-clients.js';
import { dynamoDbDigestStore } from '../../handlers/adapters/dynamodb-digest-store.js';
import { sesMailer } from '../../handlers/adapters/ses-sns-notifier.js';
import { main } from '../../handlers/cli/main.js';
import { watchedAddresses } from '../../handlers/core/configuration/index.js';
import { type DigestRun, makeDigest } from '../../handlers/digest/digest.js';
import { writeDigestFiles } from '../../handlers/local/digest-files.js';
import { LOCAL_CREDENTIALS } from '../../handlers/local/services.js';
import { fixtureBytes } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/local-aws.js';

let h: Harness;
let run: DigestRun;
const operations: string[] = [];
const sentRaw: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'acm-digest-'));

beforeAll(async () => {
  h = await startHarness();
  for (const name of [
    'copies-1-admin',
    'copies-2-administrator',
    'base64-text-html',
    'forward-inline-gmail',
    'wildcard-domain',
    'ses-dkim-fail',
  ]) {
    await h.router()(h.event(await h.deliver(fixtureBytes(name))));
  }
  // Records every DynamoDB operation the digest makes: it must query the index, never scan.
  const inner = new NodeHttpHandler();
  const recording = {
    metadata: { handlerProtocol: 'http/1.1' },
    handle: (request: { headers: Record<string, string> }, options?: object) => {
      operations.push(request.headers['x-amz-target'] ?? 'other');
      return inner.handle(request as never, options as never);
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => inner.destroy(),
  };
  const clients = awsClients({
    region: 'eu-west-1',
    endpoints: h.services.endpoints,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: recording as never,
  });
  run = await makeDigest({
    configuration: h.configuration,
    store: dynamoDbDigestStore(clients.dynamodb, h.table),
    mailer: sesMailer(
      clients.sesv2,
      { sender: h.configuration.sender, neverSendTo: watchedAddresses(h.configuration) },
      (raw) => sentRaw.push(raw.toString('utf8')),
    ),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    clock: () => new Date(),
  })();
}, 60_000);
afterAll(async () => {
  await h.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the scheduled digest', () => {
  it('reads only through the digest index', () => {
    const dynamo = operations.filter((operation) => operation.startsWith('DynamoDB_'));
    expect(dynamo.length).toBeGreaterThanOrEqual(4);
    expect(new Set(dynamo)).toEqual(new Set(['DynamoDB_20120810.Query']));
  });

  it('mails each owner with something open, and the security contact, through SES', async () => {
    expect(run.mails.map((mail) => [mail.kind, mail.to.join(','), mail.subject])).toEqual([
      ['owner', 'platform-leads@example.org', 'ACM approvals: 2 open, 1 security'],
      ['owner', 'shop-leads@example.org', 'ACM approvals: 1 open'],
      ['security', 'security@example.org', 'ACM security: 1 foreign-account, 1 suspicious, 0 unreadable'],
    ]);
    const store = await h.sesStore();
    expect(
      store.emails.filter((email) => email.subject.startsWith('ACM approvals:')).map((e) => e.destination.to),
    ).toEqual([['platform-leads@example.org'], ['shop-leads@example.org']]);
    expect(sentRaw.every((raw) => /^Auto-Submitted: auto-generated\r$/m.test(raw))).toBe(true);
  });

  it('lists the requests the router recorded, with the ticket reference and the addresses reached', () => {
    const shop = run.mails.find((mail) => mail.owner === 'web-shop');
    expect(shop?.text).toContain('shop.example.net');
    expect(shop?.text).toContain('admin@example.net, administrator@example.net');
    expect(shop?.text).toMatch(/\[ACM approval\] new shop\.example\.net \(shop-prod\) - approve by /);
    const platform = run.mails.find((mail) => mail.owner === 'platform');
    expect(platform?.text).toContain('NOT OUR ACCOUNT: do not approve');
    expect(platform?.text).toContain('*.example.org');
  });
});

describe('acm-mail digest --preview', () => {
  it('renders from a saved state, sends nothing, and writes HTML and text', async () => {
    const input = join(work, 'input.json');
    writeFileSync(input, JSON.stringify({ requests: run.requests, securityEvents: run.securityEvents }));
    const out = join(work, 'preview.html');
    let stdout = '';
    const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true } };
    expect(await main(['digest', '--preview', '--input', input, '--out', out], io)).toBe(0);
    expect(stdout).toContain('shop-leads@example.org: ACM approvals: 1 open');
    expect(stdout).toContain('nothing was sent');
    expect(readFileSync(out, 'utf8')).toContain('<table');
    // Each mail's style sheet comes along from its head, so the preview looks as the mail does.
    expect(readFileSync(out, 'utf8')).toMatch(/<section[^>]*>\n<style>td\{border:1px solid #dadce0;/);
    expect(readFileSync(join(work, 'preview.txt'), 'utf8')).toContain('Subject: ACM approvals: 1 open');
  });

  it('refuses to run without --preview', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } };
    expect(await main(['digest'], io)).toBe(64);
    expect(stderr).toContain('--preview is required');
  });
});

describe('in a browser', () => {
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (!chromium) {
    console.warn("SKIPPING the headless Chromium rendering test: no chromium here (.ci/run installs Debian's package)");
  }
  it.skipIf(!chromium)(
    'the digest table is visible and readable in headless Chromium (a screenshot of it, in a temporary folder)',
    async () => {
      const page = writeDigestFiles(work, run.mails, 'browser');
      const run_ = promisify(execFile);
      const flags = ['--headless=new', '--no-sandbox', '--disable-gpu', '--hide-scrollbars'];
      const { stdout: dom } = await run_(chromium as string, [...flags, '--dump-dom', `file://${page}`], {
        timeout: 60_000,
      });
      // The browser parsed the tables: one per mail, each header row plus one row per entry.
      expect(dom.match(/<table/g)).toHaveLength(3);
      expect(dom).toContain('NOT OUR ACCOUNT: do not approve');
      const screenshot = join(work, 'digest-screenshot.png');
      await run_(
        chromium as string,
        [...flags, '--window-size=1700,900', `--screenshot=${screenshot}`, `file://${page}`],
        {
          timeout: 60_000,
        },
      );
      // A blank page compresses to a few KB; a rendered table with text is far larger.
      expect(statSync(screenshot).size).toBeGreaterThan(30_000);
    },
    120_000,
  );
});
