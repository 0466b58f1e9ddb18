/**
 * The digest's mailbox canary section: which owner sees which address, the mark each address gets, and the section
 * as both locales write it (times in the owner's zone and language).
 */
import { describe, expect, it } from 'vitest';
import { probeTargets } from '../../../handlers/core/canary/targets.js';
import { parseConfiguration } from '../../../handlers/core/configuration/index.js';
import { canaryLinesOf, canaryMarkOf, canaryOwnersOf } from '../../../handlers/core/digest/canary.js';
import { buildDigests } from '../../../handlers/core/digest/digest.js';
import type { ProbeAddressState } from '../../../handlers/core/state.js';
import { type DigestMail, digestMails, makeDigest } from '../../../handlers/digest/digest.js';
import { exampleWith } from '../../support/configuration.js';
import { inMemoryCanaryStore } from '../../support/in-memory-canary.js';

const NOW = new Date('2026-11-26T08:00:00.000Z'); // 09:00 in Berlin, 17:00 in Tokyo
const configuration = parseConfiguration(
  exampleWith((c) => {
    c.validationDomains.push({ name: 'other.org' });
  }),
  'test',
);
const targets = probeTargets(configuration);

function state(address: string, over: Partial<ProbeAddressState> = {}): ProbeAddressState {
  const target = targets.find((t) => t.address === address);
  if (target === undefined) throw new Error(`${address} is not watched`);
  return {
    ...target,
    lastRunId: 'run-2',
    lastSentAt: '2026-11-26T05:00:00.000Z',
    lastArrivedAt: '2026-11-26T05:01:00.000Z',
    lastArrivedSentAt: '2026-11-26T05:00:00.000Z',
    lastMissingAt: null,
    ...over,
  };
}

/** admin@example.net found missing at 05:30 UTC, its last success a day before; hostmaster@example.net never tested. */
const missing = state('admin@example.net', {
  lastArrivedAt: '2026-11-25T05:01:00.000Z',
  lastArrivedSentAt: '2026-11-25T05:00:00.000Z',
  lastMissingAt: '2026-11-26T05:30:00.000Z',
});
const never = state('hostmaster@example.net', {
  lastRunId: null,
  lastSentAt: null,
  lastArrivedAt: null,
  lastArrivedSentAt: null,
});
const states = targets.map((target) =>
  target.address === missing.address ? missing : target.address === never.address ? never : state(target.address),
);

const ownerMail = (mails: readonly DigestMail[], owner: string) => {
  const mail = mails.find((m) => m.owner === owner);
  if (mail === undefined) throw new Error(`no digest for ${owner}`);
  return mail;
};

describe('which owner sees which address', () => {
  it("by the routing rules a request for the address's domain, or a name under it, can match", () => {
    // platform: example.com; web-shop: shop.example.com and shop.example.net (validated at example.com or example.net);
    // data: an account rule, so any domain; other.org matches no suffix: the fallback owner (platform).
    expect([...canaryOwnersOf('example.com', configuration)].sort()).toEqual(['data', 'platform', 'web-shop']);
    expect([...canaryOwnersOf('acm-mail.example.com', configuration)].sort()).toEqual(['data', 'platform']);
    expect([...canaryOwnersOf('example.net', configuration)].sort()).toEqual(['data', 'web-shop']);
    expect([...canaryOwnersOf('other.org', configuration)].sort()).toEqual(['data', 'platform']);
  });

  it('lists missing first, then never tested, then the rest by address', () => {
    const lines = canaryLinesOf({ name: 'web-shop' }, states, configuration);
    expect(lines.map((line) => `${line.mark} ${line.address}`)).toEqual([
      'missing admin@example.net',
      'never hostmaster@example.net',
      'arrived admin@example.com',
      'arrived administrator@example.com',
      'arrived administrator@example.net',
      'arrived hostmaster@example.com',
      'arrived postmaster@example.com',
      'arrived postmaster@example.net',
      'arrived webmaster@example.com',
      'arrived webmaster@example.net',
    ]);
  });
});

describe('the mark of an address', () => {
  it.each([
    ['never', { lastSentAt: null, lastArrivedAt: null, lastArrivedSentAt: null }],
    ['arrived', {}],
    // A round on its way is judged by the one before it.
    ['arrived', { lastSentAt: '2026-11-26T07:50:00.000Z' }],
    ['pending', { lastArrivedAt: null, lastArrivedSentAt: null }],
    [
      'missing',
      {
        lastSentAt: '2026-11-26T05:00:00.000Z',
        lastArrivedSentAt: '2026-11-25T05:00:00.000Z',
        lastMissingAt: '2026-11-26T05:30:00.000Z',
      },
    ],
    // Missing in an older run, arrived since: fine.
    ['arrived', { lastMissingAt: '2026-11-25T05:30:00.000Z' }],
  ] as const)('%s for %j', (mark, over) => {
    expect(canaryMarkOf(state('admin@example.com', over))).toBe(mark);
  });
});

describe("the section in each owner's digest", () => {
  const mails = digestMails(configuration, [], [], NOW, undefined, states);

  it('goes to an owner with nothing open when one of their mailboxes is missing, and only then', () => {
    // No requests and sendEmpty false: web-shop and data depend on admin@example.net; platform does not.
    expect(mails.map((mail) => mail.owner)).toEqual(['web-shop', 'data']);
    expect(digestMails(configuration, [], [], NOW, undefined, [state('admin@example.net')])).toEqual([]);
  });

  it("in English: each address, its last success in the owner's time, the missing and never-tested ones marked", () => {
    const { subject, text, html } = ownerMail(mails, 'web-shop');
    expect(subject).toBe('ACM approvals: 0 open, 1 mailbox not receiving');
    expect(text).toContain(
      'Nothing is open for web-shop.\n0 need action · 1 mailbox not receiving (see the canary below).\n',
    );
    expect(text).toContain('Mailbox canary (10 addresses)\n\nEvery day a test mail goes to each address');
    expect(text).toContain(
      '   admin@example.net: MISSING: the last test mail did not arrive (found Thu 26 Nov 2026 06:30 CET). Last arrived Wed 25 Nov 2026 06:01 CET.\n' +
        '   hostmaster@example.net: NEVER TESTED: no test mail has gone to this address yet.\n' +
        '   admin@example.com: OK: last arrived Thu 26 Nov 2026 06:01 CET\n',
    );
    // The heading in the alarm colour, the missing address bold and red in its row.
    expect(html).toContain('color:#b00020">Mailbox canary (10 addresses)</td>');
    expect(html).toMatch(
      /<td width="34%"[^>]*>admin@example\.net<\/td><td style="color:#b00020;font-weight:bold;[^"]*">MISSING: the last test mail did not arrive \(found Thu 26 Nov 2026 06:30 CET\)\. Last arrived Wed 25 Nov 2026 06:01 CET\.<\/td>/,
    );
    expect(html).toMatch(/>hostmaster@example\.net<\/td><td style="font-weight:bold;[^"]*">NEVER TESTED:/);
    // Still one 600 px column: the section is rows of the same table, inline styles only.
    expect(html).not.toContain('<style');
    expect(html).not.toContain('class=');
  });

  it('in Japanese, in Tokyo time', () => {
    const { subject, text, html } = ownerMail(mails, 'data');
    expect(subject).toBe('ACM承認: 未対応0件、受信できないメールボックス1件');
    expect(text).toContain('メールボックスの監視(21件)');
    expect(text).toContain(
      '   admin@example.net: 未着: 最新のテストメールが届いていません(2026年11月26日(木) 14:30 JST に検出)。最後に届いたのは 2026年11月25日(水) 14:01 JST。\n',
    );
    expect(text).toContain('   hostmaster@example.net: 未実施: このアドレスにはまだテストメールを送っていません。\n');
    expect(text).toContain('   admin@example.com: 正常: 最後に届いたのは 2026年11月26日(木) 14:01 JST\n');
    expect(html).toContain('<html lang="ja">');
  });

  it('leaves the section out when there are no states', () => {
    const [digest] = buildDigests({
      configuration: { ...configuration, digest: { ...configuration.digest, sendEmpty: true } },
      requests: [],
      securityEvents: [],
      now: NOW,
    }).owners;
    expect(digest?.canary).toEqual([]);
    const [mail] = digestMails({ ...configuration, digest: { ...configuration.digest, sendEmpty: true } }, [], [], NOW);
    expect(mail?.text).not.toContain('Mailbox canary');
  });
});

describe('the digest run reads the canary', () => {
  const logger = () => {
    const warnings: string[] = [];
    return {
      warnings,
      info: () => undefined,
      warn: (message: string) => warnings.push(message),
      error: () => undefined,
    };
  };
  const store = { requestsOf: async () => [], securityEvents: async () => [] };

  it('through CanaryStore.addressStates, for every watched address', async () => {
    const canary = inMemoryCanaryStore();
    await canary.recordProbeSent(
      {
        runId: 'run-1',
        address: 'admin@example.net',
        domain: 'example.net',
        path: 'ses',
        sentAt: '2026-11-26T05:00:00.000Z',
        checkAt: '2026-11-26T05:30:00.000Z',
        arrivedAt: null,
        arrivalMessageId: null,
        missingAlertedAt: null,
        lateClearedAt: null,
      },
      2_000_000_000,
    );
    await canary.markProbeMissing('run-1', 'admin@example.net', '2026-11-26T05:30:00.000Z');
    const run = await makeDigest({ configuration, store, mailer: null, logger: logger(), clock: () => NOW, canary })();
    expect(run.canary.map((s) => s.address)).toEqual(targets.map((t) => t.address));
    expect(ownerMail(run.mails, 'web-shop').text).toContain(
      'admin@example.net: MISSING: the last test mail did not arrive (found Thu 26 Nov 2026 06:30 CET). It has never arrived.',
    );
  });

  it('not when the canary is off, and without the section when the read fails', async () => {
    const off = parseConfiguration(
      exampleWith((c) => (c.canary = { enabled: false })),
      'off',
    );
    const asked: string[] = [];
    const counting = {
      addressStates: async () => {
        asked.push('asked');
        return [];
      },
    };
    const quiet = await makeDigest({
      configuration: off,
      store,
      mailer: null,
      logger: logger(),
      clock: () => NOW,
      canary: counting,
    })();
    expect(asked).toEqual([]);
    expect(quiet.canary).toEqual([]);

    const log = logger();
    const failing = { addressStates: async () => Promise.reject(new Error('ProvisionedThroughputExceededException')) };
    const run = await makeDigest({
      configuration,
      store,
      mailer: null,
      logger: log,
      clock: () => NOW,
      canary: failing,
    })();
    expect(run.canary).toEqual([]);
    expect(log.warnings).toEqual(['canary states unread: the digests have no canary section']);
  });
});
