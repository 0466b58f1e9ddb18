/** The digest end to end on the emulators: what the router recorded, read through the index only, mailed by SES. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../handlers/adapters/aws-clients.js';
import { dynamoDbDigestStore } from '../../handlers/adapters/dynamodb-digest-store.js';
import { countingMetrics } from '../../handlers/adapters/observability.js';
import { sesMailer } from '../../handlers/adapters/ses-sns-notifier.js';
import { main } from '../../handlers/cli/main.js';
import { parseConfiguration, watchedAddresses } from '../../handlers/core/configuration/index.js';
import { DIGEST_METRICS } from '../../handlers/core/metrics.js';
import { type DigestMail, type DigestRun, digestMails, makeDigest } from '../../handlers/digest/digest.js';
import { LOCAL_CREDENTIALS } from '../../handlers/local/services.js';
import { CHROMIUM, type LaunchedChromium, launchChromium, measureWidths } from '../support/chromium.js';
import { exampleWith } from '../support/configuration.js';
import { LABEL_63, sampleMails } from '../support/digest-samples.js';
import { fixtureBytes } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/local-aws.js';

let h: Harness;
let run: DigestRun;
const operations: string[] = [];
const sentRaw: string[] = [];
const metrics = countingMetrics();
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
    metrics,
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

  it('measures the open requests it listed, over all owners, for the dashboard', () => {
    // platform's 2 open and shop's 1 (the subjects above); the foreign-account one is not open for approval.
    expect(metrics.measured).toEqual([{ name: DIGEST_METRICS.openRequests, value: 3, dimensions: {} }]);
  });

  it('lists the requests the router recorded, with the ticket reference and the addresses reached', () => {
    const shop = run.mails.find((mail) => mail.owner === 'web-shop');
    expect(shop?.text).toContain('shop.example.net');
    expect(shop?.text).toContain('admin@example.net, administrator@example.net');
    expect(shop?.text).toMatch(/\[ACM approval\] new shop\.example\.net \(shop-prod\) - approve by /);
    const platform = run.mails.find((mail) => mail.owner === 'platform');
    expect(platform?.text).toContain('Not our account: do not approve (1)');
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
    // Every style is inline, so the preview's sections look as the mails do.
    expect(readFileSync(out, 'utf8')).not.toContain('<style');
    expect(readFileSync(out, 'utf8')).toContain('max-width:600px');
    expect(readFileSync(join(work, 'preview.txt'), 'utf8')).toContain('Subject: ACM approvals: 1 open');
  });

  it('refuses to run without --preview', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } };
    expect(await main(['digest'], io)).toBe(64);
    expect(stderr).toContain('--preview is required');
  });
});

describe('in headless Chromium: no sideways scrolling at phone and mail-pane widths', () => {
  let chromium: LaunchedChromium | null = null;
  beforeAll(async () => {
    if (CHROMIUM) chromium = await launchChromium(CHROMIUM);
  }, 90_000);
  afterAll(async () => {
    await chromium?.close();
  });
  if (!CHROMIUM) {
    console.warn("SKIPPING the headless Chromium width checks: no chromium here (.ci/run installs Debian's package)");
  }

  /** Every mail laid out at 360 and 600 px: as wide as the viewport, never wider (no horizontal scroll). */
  async function expectNoSidewaysScroll(mails: readonly DigestMail[]) {
    const browser = (chromium as LaunchedChromium).browser;
    for (const mail of mails) {
      for (const width of [360, 600]) {
        const widths = await measureWidths(browser, mail.html, width);
        console.log(
          `scrollWidth at ${width} px: ${widths.documentScrollWidth} (body ${widths.bodyScrollWidth}): ${mail.subject}`,
        );
        expect(widths, `${mail.subject} at ${width} px`).toEqual({
          viewport: width,
          documentScrollWidth: width,
          bodyScrollWidth: width,
        });
      }
    }
  }

  it.skipIf(!CHROMIUM)(
    'the example digest, in English and in Japanese',
    async () => {
      const japanese = parseConfiguration(
        exampleWith((c) => {
          for (const owner of c.owners) owner.locale = 'ja';
        }),
        'japanese',
      );
      const inJapanese = digestMails(japanese, run.requests, run.securityEvents, new Date());
      expect(run.mails.length).toBeGreaterThanOrEqual(3);
      expect(inJapanese.filter((mail) => mail.subject.startsWith('ACM承認'))).toHaveLength(2);
      await expectNoSidewaysScroll([...run.mails, ...inJapanese]);
    },
    120_000,
  );

  it.skipIf(!CHROMIUM)(
    "a digest with a 63-character domain label and 20 owners' worth of requests, as blocks and as lines, in both languages",
    async () => {
      const mails = (['en', 'ja'] as const).flatMap((locale) => [
        ...sampleMails(locale, 3, true),
        ...sampleMails(locale, 15, true),
      ]);
      // The long label is there to be wrapped, not cut: every owner digest shows it.
      const owners = mails.filter((mail) => mail.kind === 'owner');
      expect(owners).toHaveLength(4);
      for (const mail of owners) expect(mail.text).toContain(`${LABEL_63}.today0.example.com`);
      await expectNoSidewaysScroll(mails);
    },
    120_000,
  );

  it.skipIf(!CHROMIUM)(
    'the old 13-column table would fail the same check: the measurement sees sideways scrolling',
    async () => {
      const wide = `<!doctype html><html><body><table><tr>${'<td nowrap>Sat 28 Nov 2026 15:39 CET</td>'.repeat(13)}</tr></table></body></html>`;
      const widths = await measureWidths((chromium as LaunchedChromium).browser, wide, 600);
      expect(widths.documentScrollWidth).toBeGreaterThan(600);
    },
    60_000,
  );
});
