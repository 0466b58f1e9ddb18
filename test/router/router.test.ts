/** The router end to end against local emulators: S3, DynamoDB, SES and SNS over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notifier } from '../../handlers/ports/router.js';
import { ClaimInProgressError } from '../../handlers/router/process-mail.js';
import { RecordsFailedError } from '../../handlers/router/router.js';
import { exampleWith } from '../support/configuration.js';
import {
  changedAndResigned,
  FIVE_COPIES,
  FIVE_COPIES_REQUEST_KEY,
  fixtureBytes,
  goldenFixtures,
} from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/local-aws.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    configuration: exampleWith((c) => {
      c.notAcm = { mode: 'summarise', maxSummariesPerHour: 2 };
    }),
  });
});
afterAll(() => h.stop());

async function route(name: string | Buffer, options: Parameters<Harness['deliver']>[1] = {}) {
  const record = await h.deliver(typeof name === 'string' ? fixtureBytes(name) : name, options);
  const [outcome] = await h.router()(h.event(record));
  return { record, outcome };
}

const sentSince = (start: number) => h.sent.slice(start);

describe('five copies of one request', () => {
  it('make one ticket to the owner, one approvals message, and four duplicates; every copy has its outcome', async () => {
    // Other tests of this file share the emulators and may have mailed this domain before: count from here.
    const start = h.sent.length;
    const sesBefore = (await h.sesStore()).emails.length;
    const approvalsBefore = (await h.topicMessages('approvals')).length;
    const outcomes = [];
    for (const copy of FIVE_COPIES) outcomes.push((await route(copy)).outcome);
    expect(outcomes.map((o) => o?.outcome)).toEqual(['routed', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(new Set(outcomes.map((o) => o?.requestKey))).toEqual(new Set([FIVE_COPIES_REQUEST_KEY]));

    const tickets = sentSince(start);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]?.mail.to).toEqual(['shop-tickets@tickets.example.org']);
    expect(tickets[0]?.mail.subject).toMatch(
      /^\[ACM approval\] new shop\.example\.net \(shop-prod\) - approve by \w{3} \d{1,2} \w{3} \d\d:\d\d CES?T$/,
    );
    const emails = (await h.sesStore()).emails.slice(sesBefore).filter((e) => e.subject.includes('shop.example.net'));
    expect(emails).toHaveLength(1);
    expect(emails[0]?.destination.to).toEqual(['shop-tickets@tickets.example.org']);

    const approvals = (await h.topicMessages('approvals'))
      .slice(approvalsBefore)
      .filter((m) => m.message.domain === 'shop.example.net');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]?.attributes).toMatchObject({
      domain: { Value: 'shop.example.net' },
      accountId: { Value: '184694211251' },
      region: { Value: 'eu-west-1' },
      owner: { Value: 'web-shop' },
      kind: { Value: 'new' },
      trust: { Value: 'trusted' },
      outcome: { Value: 'routed' },
      link: { Value: 'withheld' },
    });
    // The facts and the ticket reference, never a live link unless the owner chose it.
    expect(approvals[0]?.message).toMatchObject({
      domain: 'shop.example.net',
      trust: 'trusted',
      approvalUrl: null,
      ticket: {
        subject: tickets[0]?.mail.subject,
        thread: expect.stringMatching(/^<acm-request\.[0-9a-f]{32}@notify\.example\.org>$/),
        messageId: tickets[0]?.sesMessageId,
      },
    });
    expect(Buffer.byteLength(JSON.stringify(approvals[0]?.message))).toBeLessThan(256 * 1024);

    const item = await h.requestItem(FIVE_COPIES_REQUEST_KEY);
    expect([...(item?.addresses as Set<string>)].sort()).toEqual(
      ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'].map((box) => `${box}@example.net`),
    );
    expect(item).toMatchObject({ status: 'delivered', owner: 'web-shop', digestOwner: 'web-shop' });
  });

  it('a retry of a message already processed changes nothing and sends nothing', async () => {
    const record = await h.deliver(fixtureBytes('current-renewal-text-html'));
    const [first] = await h.router()(h.event(record));
    const start = h.sent.length;
    const [again] = await h.router()(h.event(record));
    expect(first?.outcome).toBe('routed');
    expect(again).toMatchObject({ outcome: 'routed', alreadyRecorded: true });
    expect(sentSince(start)).toHaveLength(0);
  });
});

describe('the ticket', () => {
  it('from trusted mail of our account carries the clickable link, the deadline, the audit key and the checks', async () => {
    const start = h.sent.length;
    const { record } = await route('base64-text-html');
    const [ticket] = sentSince(start);
    expect(ticket?.mail.subject).toMatch(
      /^\[ACM approval\] new pay\.example\.com \(payments-prod\) - approve by \w{3} \d{1,2} \w{3} \d\d:\d\d CES?T$/,
    );
    expect(ticket?.mail.html).toMatch(
      /<a href="https:\/\/ap-northeast-1\.acm-certificates\.amazon\.com\/approvals\?code=/,
    );
    expect(ticket?.mail.text).toContain(`s3://${h.bucket}/inbound/${record.ses.mail.messageId}`);
    expect(ticket?.mail.text).toMatch(
      /Approve before: +\w{3} \d{1,2} \w{3} \d{4} \d\d:\d\d CES?T \((?:\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\), (?:71 h 59 min left|72 h 0 min left)/,
    );
    expect(ticket?.mail.text).toContain(
      'https://ap-northeast-1.console.aws.amazon.com/acm/home?region=ap-northeast-1#/certificates/',
    );
    // pay.example.com belongs to platform, whose queue is Jira Service Management: it rejects auto-submitted mail,
    // so the ticket names itself as ours instead (delivery-profiles.ts).
    expect(ticket?.raw).not.toMatch(/^Auto-Submitted:/im);
    expect(ticket?.raw).toMatch(/^X-ACM-Validation-Mail: ticket; request=[0-9a-f]{32}\r?$/m);
    expect(ticket?.raw).toMatch(/^References:\s+<acm-request\.[0-9a-f]{32}@notify\.example\.org>/m);
  });

  it('from an unverified forwarded copy of our account withholds the link, and says how to get a usable one', async () => {
    const start = h.sent.length;
    const { outcome } = await route('forward-inline-gmail');
    expect(outcome?.outcome).toBe('routed');
    const [ticket] = sentSince(start);
    expect(ticket?.mail.text).toContain('UNAUTHENTICATED');
    expect(ticket?.mail.text).toMatch(
      /hxxps:\/\/[a-z0-9-]+\[\.\]acm-certificates\[\.\]amazon\[\.\]com\/approvals\?code=<redacted>&context=<redacted>/,
    );
    expect(ticket?.mail.html).not.toMatch(/<a\s/);
    expect(ticket?.mail.text).not.toMatch(/https:\/\/[a-z0-9-]+\.acm-certificates/);
    expect(ticket?.mail.text).toContain('check that it is yours (account 210987654321');
  });
});

describe('security alerts', () => {
  it('a request from an account that is not ours alerts the security contact once, and never reaches a ticket queue', async () => {
    const start = h.sent.length;
    const { outcome } = await route('wildcard-domain');
    expect(outcome?.outcome).toBe('foreign-account');
    const sent = sentSince(start);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.mail.to).toEqual(['security@example.org']);
    expect(sent[0]?.mail.subject).toBe(
      '[ACM security] Certificate for *.example.org requested by AWS account 116987828581, not one of ours',
    );
    expect(sent[0]?.mail.text).toContain('validation-questions@amazon.com');
    expect(sent[0]?.mail.text).toContain('Do NOT approve it');
    expect(sent[0]?.raw).not.toMatch(/code=[0-9a-f]{8}-/);
    const alerts = (await h.topicMessages('alerts')).filter((m) => m.message.alert === 'foreign-account');
    expect(alerts.at(-1)?.message).toMatchObject({
      domain: '*.example.org',
      accountId: '116987828581',
      authenticated: true,
    });
    expect(await h.objectExists(`quarantine/${outcome?.messageId}`)).toBe(true);

    // The same request again (another mailbox's copy): recorded, but no second alert.
    const again = await route('wildcard-domain');
    expect(again.outcome?.outcome).toBe('foreign-account');
    expect(sentSince(start)).toHaveLength(1);
  });

  it("an unverified copy of a foreign request sent first never uses up the alert ACM's own mail raises", async () => {
    const start = h.sent.length;
    const fake = await route('preempt-1-unverified-copy-of-foreign-request');
    const genuine = await route('preempt-2-acm-mail-for-the-same-request');
    expect([fake.outcome?.outcome, genuine.outcome?.outcome]).toEqual(['foreign-account', 'foreign-account']);
    const alerts = sentSince(start);
    expect(alerts).toHaveLength(2);
    expect(alerts[0]?.mail.text).toContain('UNAUTHENTICATED copy');
    expect(alerts[1]?.mail.text).toContain("ACM's signature verified by SES");
    // Copies after that (of either kind) alert no more.
    await route('preempt-2-acm-mail-for-the-same-request');
    await route('preempt-1-unverified-copy-of-foreign-request');
    expect(sentSince(start)).toHaveLength(2);
  });

  it('suspicious mail is quarantined and alerted with its reasons; its link appears only defanged and redacted', async () => {
    const start = h.sent.length;
    const { outcome } = await route('ses-dkim-fail');
    expect(outcome?.outcome).toBe('suspicious');
    expect(await h.objectExists(`quarantine/${outcome?.messageId}`)).toBe(true);
    const [alert] = sentSince(start);
    expect(alert?.mail.to).toEqual(['security@example.org']);
    // Who sent it, as far as SES knows, and every reason in plain words.
    expect(alert?.mail.text).toContain('dkim-fail (a DKIM signature failed)');
    expect(alert?.mail.text).toContain('dmarc-fail (DMARC failed)');
    expect(alert?.mail.text).toMatch(/From: +no-reply@certificates\.amazon\.com/);
    expect(alert?.mail.text).toMatch(/Envelope sender: +[0-9a-f-]+@bounces\.certificates\.amazon\.com/);
    expect(alert?.mail.text).toMatch(/SES verdicts: +SPF PASS, DKIM PASS, DMARC FAIL, spam PASS, virus PASS/);
    expect(alert?.mail.text).toContain(`SES message id:   ${outcome?.messageId}`);
    expect(alert?.mail.text).toMatch(
      /hxxps:\/\/us-east-1\[\.\]acm-certificates\[\.\]amazon\[\.\]com\/approvals\?code=<redacted>&context=<redacted>/,
    );
    expect(alert?.raw).not.toMatch(/code=[0-9a-f]{8}-/);
  });

  it('an ACM template whose fields cannot be read is unparseable, quarantined and alerted', async () => {
    const { outcome } = await route('conflict-missing-account-line');
    expect(outcome?.outcome).toBe('unparseable');
    expect(await h.objectExists(`quarantine/${outcome?.messageId}`)).toBe(true);
    expect(h.sent.at(-1)?.mail.subject).toMatch(/^\[ACM security\] An ACM approval mail could not be read/);
  });
});

describe('mail that is not ACM', () => {
  it('is summarised to the fallback owner without its content, at most N per hour, and always recorded', async () => {
    const start = h.sent.length;
    const outcomes = [];
    for (const name of [
      'not-acm-spam-to-admin',
      'not-acm-dmarc-aggregate-report',
      'not-acm-aws-health-renewal-completed',
    ]) {
      outcomes.push((await route(name)).outcome?.outcome);
    }
    expect(outcomes).toEqual(['not-acm', 'not-acm', 'not-acm']);
    const summaries = sentSince(start);
    expect(summaries).toHaveLength(2);
    expect(summaries[0]?.mail.to).toEqual(['platform-tickets@tickets.example.org']);
    expect(summaries[0]?.mail.text).toContain('winner@lottery.example');
    expect(summaries[0]?.mail.text).toContain('You have won!!!');
    const spamBody =
      fixtureBytes('not-acm-spam-to-admin')
        .toString('latin1')
        .split(/\r?\n\r?\n/)[1]
        ?.trim()
        .slice(0, 30) ?? '';
    expect(spamBody.length).toBeGreaterThan(10);
    expect(summaries[0]?.mail.text).not.toContain(spamBody);
  });

  it('loop guard: our own sender, or Auto-Submitted other than "no", is recorded and dropped', async () => {
    const start = h.sent.length;
    const spam = fixtureBytes('not-acm-spam-to-admin').toString('latin1');
    const fromUs = Buffer.from(
      spam.replace('From: Prize Desk <winner@lottery.example>', 'From: ACM mail <acm-mail@notify.example.org>'),
      'latin1',
    );
    const autoReply = Buffer.from(
      spam.replace('Subject: You have won!!!', 'Auto-Submitted: auto-replied\r\nSubject: Out of office'),
      'latin1',
    );
    const ours = await route(fromUs);
    const reply = await route(autoReply);
    expect([ours.outcome?.outcome, reply.outcome?.outcome]).toEqual(['not-acm', 'not-acm']);
    expect(sentSince(start)).toHaveLength(0);
    const recorded = await h.store.recordedOutcome(ours.outcome?.messageId ?? '');
    expect(recorded?.detail).toBe('loop-guard:from-our-sender');
    expect((await h.store.recordedOutcome(reply.outcome?.messageId ?? ''))?.detail).toBe('loop-guard:auto-submitted');
  });
});

describe('resends and windows', () => {
  it('a resend inside the window with a new link sends one follow-up in the same thread', async () => {
    const original = fixtureBytes('current-new-text-only');
    const resend = changedAndResigned('current-new-text-only', (eml) =>
      eml.replace('code=74d429cc-e560-4eff-abf3-b231c22ea515', 'code=11111111-2222-4333-8444-555555555555'),
    );
    const start = h.sent.length;
    expect((await route(original)).outcome?.outcome).toBe('routed');
    expect((await route(resend)).outcome?.outcome).toBe('routed');
    expect((await route(resend)).outcome?.outcome).toBe('duplicate');
    const [ticket, followUp, ...rest] = sentSince(start);
    expect(rest).toHaveLength(0);
    expect(followUp?.mail.subject).toBe(`Re: ${ticket?.mail.subject}`);
    const anchor = /^References:\s+(<acm-request\.[0-9a-f]{32}@notify\.example\.org>)/m.exec(ticket?.raw ?? '')?.[1];
    expect(anchor).toBeDefined();
    // web-shop's queue is Zendesk, which threads by the Message-ID it stored: the first ticket as SES named it.
    const firstTicket = `<${ticket?.sesMessageId}@eu-west-1.amazonses.com>`;
    expect(followUp?.raw).toMatch(new RegExp(`^In-Reply-To: ${firstTicket.replace(/[.]/g, '\\.')}\r?$`, 'm'));
    expect(followUp?.raw).toMatch(
      new RegExp(
        `^References: ${(anchor ?? '').replace(/[.]/g, '\\.')}\r\n ${firstTicket.replace(/[.]/g, '\\.')}\r?$`,
        'm',
      ),
    );
    expect(followUp?.mail.text).toContain('code=11111111-2222-4333-8444-555555555555');
  });

  it('the same request after its 72-hour window opens a new request with a new ticket', async () => {
    const start = h.sent.length;
    const early = new Date(Date.now() - 80 * 3600_000).toISOString();
    expect((await route('html-only-quoted-printable', { timestamp: early })).outcome?.outcome).toBe('routed');
    expect((await route('html-only-quoted-printable')).outcome?.outcome).toBe('routed');
    // Two tickets, each with its own window's deadline: 80 h apart.
    const subjects = sentSince(start).map((mail) => mail.mail.subject);
    expect(subjects).toHaveLength(2);
    for (const subject of subjects)
      expect(subject).toMatch(/^\[ACM approval\] new media\.example\.com \(media-prod\) - approve by /);
    expect(subjects[0]).not.toBe(subjects[1]);
  });
});

describe('failures', () => {
  it('a missing raw mail throws so Lambda retries, and records no outcome', async () => {
    const record = await h.deliver(fixtureBytes('link-port'));
    const missing = { ...record, ses: { ...record.ses, mail: { ...record.ses.mail, messageId: 'never-stored' } } };
    await expect(h.router()(h.event(missing))).rejects.toThrow(RecordsFailedError);
    expect(await h.store.recordedOutcome('never-stored')).toBeNull();
  });

  it('one bad record never blocks another: the good one is processed, then the handler throws naming the bad one', async () => {
    const good = await h.deliver(fixtureBytes('punycode-domain'));
    const bad = { ...good, ses: { ...good.ses, mail: { ...good.ses.mail, messageId: 'also-never-stored' } } };
    const error = await h
      .router()(h.event(bad, good))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RecordsFailedError);
    expect((error as RecordsFailedError).failures.map((f) => f.messageId)).toEqual(['also-never-stored']);
    expect((await h.store.recordedOutcome(good.ses.mail.messageId))?.outcome).toBe('routed');
  });

  it('a delivery that failed after the claim is finished by the retry of the same message: one ticket', async () => {
    const failing = failFirstSends(h.notifier, 1);
    const record = await h.deliver(fixtureBytes('text-quoted-printable-url-soft-breaks'));
    await expect(h.router({ notifier: failing })(h.event(record))).rejects.toThrow(RecordsFailedError);
    expect(await h.store.recordedOutcome(record.ses.mail.messageId)).toBeNull();
    const start = h.sent.length;
    const [retried] = await h.router({ notifier: failing })(h.event(record));
    expect(retried?.outcome).toBe('routed');
    expect(sentSince(start)).toHaveLength(1);
  });

  it('an EventBridge outage: the ticket goes out, the record fails; the retry puts the event and mails nothing again', async () => {
    const record = await h.deliver(fixtureBytes('renewal-by-subject-only'));
    const messageId = record.ses.mail.messageId;
    const start = h.sent.length;
    h.services.eventBridge.failRequestsWith = 'InternalException';
    try {
      await expect(h.router()(h.event(record))).rejects.toThrow(/InternalException|stubbed/);
    } finally {
      h.services.eventBridge.failRequestsWith = null;
    }
    expect(sentSince(start)).toHaveLength(1);
    expect((await h.store.recordedOutcome(messageId))?.pendingEvents).toHaveLength(1);
    expect(h.busEvents().filter((event) => event.detail.outcomeKey === messageId)).toEqual([]);

    const [retried] = await h.router()(h.event(record));
    expect(retried).toMatchObject({ outcome: 'routed', alreadyRecorded: true });
    const arrived = h.busEvents().filter((event) => event.detail.outcomeKey === messageId);
    expect(arrived.map((event) => event['detail-type'])).toEqual(['ACM Approval Requested']);
    expect(arrived[0]?.detail).toMatchObject({ renewal: true, kind: 'new' });
    expect(sentSince(start)).toHaveLength(1);
    expect((await h.store.recordedOutcome(messageId))?.pendingEvents).toBeUndefined();
  });

  it('an abandoned claim is taken over by a later copy once it expires; a fresh one makes copies wait, then retry', async () => {
    const failing = failFirstSends(h.notifier, 1);
    const first = await h.deliver(fixtureBytes('china-labels-and-host'));
    await expect(h.router({ notifier: failing })(h.event(first))).rejects.toThrow(RecordsFailedError);

    // While the claim is fresh, another copy waits and finally throws for Lambda to retry later.
    const second = await h.deliver(fixtureBytes('china-labels-and-host'));
    const waiting = await h
      .router({ claimWaitsMs: [5, 5] })(h.event(second))
      .catch((caught: unknown) => caught);
    expect((waiting as RecordsFailedError).failures[0]?.error).toBeInstanceOf(ClaimInProgressError);

    // After the claim timeout the copy takes the claim over and delivers: exactly one ticket.
    const start = h.sent.length;
    const later = () => new Date(Date.now() + 10 * 60_000);
    const [taken] = await h.router({ clock: later })(h.event(second));
    expect(taken?.outcome).toBe('routed');
    expect(sentSince(start)).toHaveLength(1);
    const [firstRetry] = await h.router({ clock: later })(h.event(first));
    expect(firstRetry?.outcome).toBe('duplicate');
    expect(sentSince(start)).toHaveLength(1);
  });
});

/** A notifier whose first `count` mails fail, as SES failing after the claim was taken. */
function failFirstSends(inner: Notifier, count: number): Notifier {
  let failures = count;
  return {
    async sendMail(mail) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('injected: SES unavailable');
      }
      return inner.sendMail(mail);
    },
    publish: (topic, message, attributes) => inner.publish(topic, message, attributes),
  };
}

describe('approval links on the approvals topic', () => {
  it('carry the live link only for an owner who chose it, and only from trusted mail', async () => {
    const opted = await startHarness({
      configuration: exampleWith((c) => {
        c.owners[0].snsApprovalLinks = true; // platform
      }),
    });
    try {
      for (const name of [
        'link-trust-1-trusted-request', // platform, trusted
        'link-trust-2-forwarded-copy-with-another-link', // platform, unverified copy with another link
        'copies-1-admin', // web-shop (not opted in), trusted
      ]) {
        const [outcome] = await opted.router()(opted.event(await opted.deliver(fixtureBytes(name))));
        expect(outcome?.outcome).toBe('routed');
      }
      const messages = await opted.topicMessages('approvals');
      expect(messages.map((m) => [m.message.domain, m.message.trust, m.attributes.link?.Value])).toEqual([
        ['www.example.net', 'trusted', 'included'],
        ['www.example.net', 'unverified', 'withheld'],
        ['shop.example.net', 'trusted', 'withheld'],
      ]);
      expect(messages[0]?.message.approvalUrl).toBe(
        goldenFixtures().find((f) => f.name === 'link-trust-1-trusted-request')?.expected.approval?.approvalUrl,
      );
      expect(messages.slice(1).map((m) => m.message.approvalUrl)).toEqual([null, null]);
    } finally {
      await opted.stop();
    }
  }, 30_000);
});
