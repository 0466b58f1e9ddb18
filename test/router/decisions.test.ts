/**
 * The router's every decision branch, fast, against its ports in memory (test/support/in-memory-ports.ts, whose
 * store keeps the DynamoDB store's claim protocol). Each test builds its own router: none reads another's leftovers.
 * router.test.ts proves the same paths through the real adapters on the emulators.
 */
import { describe, expect, it } from 'vitest';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import { sesRecordForStoredMail } from '../../handlers/core/stored-mail-event.js';
import type { Notifier } from '../../handlers/ports/router.js';
import { ClaimInProgressError } from '../../handlers/router/process-mail.js';
import { makeRouter, RecordsFailedError } from '../../handlers/router/router.js';
import { exampleJson, exampleWith } from '../support/configuration.js';
import {
  changedAndResigned,
  FIVE_COPIES,
  FIVE_COPIES_REQUEST_KEY,
  fixtureBytes,
  fixtureDkim,
} from '../support/fixtures.js';
import { recordingNotifier } from '../support/in-memory-ports.js';
import { IN_MEMORY_NOW, inMemoryRouter } from '../support/in-memory-router.js';

const NOW = IN_MEMORY_NOW;

const routerWith = inMemoryRouter;

describe('a request from one of our accounts, in trusted mail', () => {
  it('makes one ticket to its owner, one approvals message without the link, and four duplicates', async () => {
    const r = routerWith();
    const outcomes = [];
    for (const copy of FIVE_COPIES) outcomes.push(await r.receive(copy));
    expect(outcomes.map((o) => o.outcome)).toEqual(['routed', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(new Set(outcomes.map((o) => o.requestKey))).toEqual(new Set([FIVE_COPIES_REQUEST_KEY]));

    expect(r.notifier.mails).toHaveLength(1);
    const [ticket] = r.notifier.mails;
    expect(ticket?.to).toEqual(['shop-tickets@tickets.example.org']);
    expect(ticket?.subject).toBe('[ACM approval] new shop.example.net (shop-prod) - approve by Sat 28 Nov 10:00 CET');
    expect(ticket?.references).toEqual([expect.stringMatching(/^<acm-request\.[0-9a-f]{32}@notify\.example\.org>$/)]);
    expect(ticket?.inReplyTo).toBeUndefined();
    // The ticket of trusted mail from our account is the one place with a clickable link.
    expect(ticket?.html).toMatch(/href="https:\/\/eu-west-1\.acm-certificates\.amazon\.com\/approvals\?code=/);

    expect(r.notifier.publications).toHaveLength(1);
    const [message] = r.notifier.publications;
    expect(message?.topic).toBe('approvals');
    expect(message?.attributes).toEqual({
      domain: 'shop.example.net',
      accountId: '184694211251',
      region: 'eu-west-1',
      owner: 'web-shop',
      kind: 'new',
      trust: 'trusted',
      outcome: 'routed',
      link: 'withheld',
    });
    expect(message?.message).toMatchObject({
      type: 'approval-request',
      followUp: false,
      requestKey: FIVE_COPIES_REQUEST_KEY,
      approvalUrl: null,
      rawMail: 'memory://inbound/m-1',
      ticket: { subject: ticket?.subject, thread: ticket?.references?.[0], messageId: 'ses-1' },
    });
    expect(r.store.current(FIVE_COPIES_REQUEST_KEY)).toMatchObject({ status: 'delivered', ticketMessageId: 'ses-1' });
    expect(r.store.current(FIVE_COPIES_REQUEST_KEY)?.addresses).toHaveLength(5);
    expect(r.archive.quarantined.size).toBe(0);
    // One product event for the request (the duplicates put none), without the link: this owner did not opt in.
    expect(r.events.events).toEqual([
      {
        detailType: 'ACM Approval Requested',
        detail: expect.objectContaining({
          schemaVersion: '1',
          outcomeKey: 'm-1',
          owner: 'web-shop',
          requestKey: FIVE_COPIES_REQUEST_KEY,
          kind: 'new',
          domain: 'shop.example.net',
          accountId: '184694211251',
          accountName: 'shop-prod',
          trust: 'trusted',
          ticketSubject: ticket?.subject,
        }),
        resources: [expect.stringMatching(/^arn:aws:acm:eu-west-1:184694211251:certificate\//)],
        time: NOW.toISOString(),
      },
    ]);
    expect(r.events.events[0]?.detail).not.toHaveProperty('approvalLink');
    expect(r.store.outcomes.get('m-1')?.pendingEvents).toBeUndefined();
    expect(r.metrics.counts).toEqual(
      new Map([
        ['RoutedMail', 1],
        ['DuplicateMail', 4],
        ['ProductEventsPut', 1],
      ]),
    );
  });

  it('writes the ticket of an owner with locale "ja" in Japanese, with times in its own zone', async () => {
    // The example's `data` owner: account 788441577080, "locale": "ja", "timeZone": "Asia/Tokyo".
    const r = routerWith();
    expect((await r.receive('format-2017-text-html-dashed-account-uuid')).outcome).toBe('routed');
    const [ticket] = r.notifier.mails;
    expect(ticket?.to).toEqual(['data-tickets@tickets.example.org']);
    expect(ticket?.subject).toBe(
      '[ACM承認] 新規 my-cluster.data-test.example.is (data-test) - 11月28日(土) 18:00 JST までに承認',
    );
    expect(ticket?.text).toMatch(/承認期限: +2026年11月28日\(土\) 18:00 JST \(09:00 UTC\)、残り72時間0分/);
    expect(ticket?.html).toContain('<html lang="ja">');
  });

  it('puts the live link on the topic only for an owner who chose it, and only from trusted mail', async () => {
    const optedIn = exampleWith((c) => {
      for (const owner of c.owners) owner.snsApprovalLinks = true;
    });
    const r = routerWith(optedIn);
    await r.receive('current-new-text-only');
    await r.receive('forward-inline-gmail');
    const [trusted, forwarded] = r.notifier.publications;
    expect(trusted?.attributes.link).toBe('included');
    expect(trusted?.message.approvalUrl).toMatch(/^https:\/\/eu-west-1\.acm-certificates\.amazon\.com\/approvals\?/);
    expect(forwarded?.attributes).toMatchObject({ trust: 'unverified', link: 'withheld' });
    expect(forwarded?.message.approvalUrl).toBeNull();
  });

  it('sends one follow-up in the same thread for a resend with a new link inside the window', async () => {
    const r = routerWith();
    const resend = changedAndResigned('current-new-text-only', (eml) =>
      eml.replace('code=74d429cc-e560-4eff-abf3-b231c22ea515', 'code=11111111-2222-4333-8444-555555555555'),
    );
    expect((await r.receive('current-new-text-only')).outcome).toBe('routed');
    // Two hours later: the resend's own deadline is two hours later than the first ticket's.
    r.setClock(new Date(NOW.getTime() + 2 * 3600_000));
    const followUp = await r.receive(resend);
    expect(followUp.outcome).toBe('routed');
    expect(r.recorded(followUp.messageId)?.detail).toBe('follow-up');
    expect((await r.receive(resend)).outcome).toBe('duplicate');

    const [ticket, second, ...rest] = r.notifier.mails;
    expect(rest).toEqual([]);
    const anchor = ticket?.references?.[0];
    // The first ticket's subject as sent (its deadline), so it threads by subject; the new deadline is in the body.
    expect(ticket?.subject).toBe('[ACM approval] new shop.example.com (shop-prod) - approve by Sat 28 Nov 10:00 CET');
    expect(second?.subject).toBe(`Re: ${ticket?.subject}`);
    expect(second?.text).toMatch(/Approve before: +Sat 28 Nov 2026 12:00 CET \(11:00 UTC\), 72 h 0 min left/);
    // The first ticket, as SES names what it sent in eu-west-1: web-shop's Zendesk queue threads by that id.
    expect(second?.inReplyTo).toBe('<ses-1@eu-west-1.amazonses.com>');
    expect(second?.references).toEqual([anchor, '<ses-1@eu-west-1.amazonses.com>']);
    expect(second?.text).toContain('code=11111111-2222-4333-8444-555555555555');
    expect(r.notifier.publications.map((p) => p.message.followUp)).toEqual([false, true]);
  });

  it('opens a new request, with a new ticket, for the same certificate after its 72-hour window', async () => {
    const r = routerWith();
    expect((await r.receive('html-only-quoted-printable')).outcome).toBe('routed');
    r.setClock(new Date(NOW.getTime() + 73 * 3600_000));
    expect((await r.receive('html-only-quoted-printable')).outcome).toBe('routed');
    // The second window's deadline is 73 h after the first's.
    expect(r.notifier.mails.map((mail) => mail.subject)).toEqual([
      '[ACM approval] new media.example.com (media-prod) - approve by Sat 28 Nov 10:00 CET',
      '[ACM approval] new media.example.com (media-prod) - approve by Tue 1 Dec 11:00 CET',
    ]);
    expect(r.store.closedWindows).toHaveLength(1);
  });
});

describe('an unverified copy (a forward) of one of our requests', () => {
  it('is routed to the owner with its link withheld', async () => {
    const r = routerWith();
    const outcome = await r.receive('forward-inline-gmail');
    expect(outcome.outcome).toBe('routed');
    const [ticket] = r.notifier.mails;
    expect(ticket?.to).toEqual(['platform-tickets@tickets.example.org']);
    expect(`${ticket?.text}${ticket?.html}`).not.toMatch(/https:\/\/[a-z0-9-]+\.acm-certificates\.amazon\.com/);
    expect(r.notifier.publications[0]?.attributes).toMatchObject({ trust: 'unverified', link: 'withheld' });
  });
});

describe('a request from an account that is not ours', () => {
  it('is quarantined and alerted once however many copies arrive, and never reaches a ticket queue', async () => {
    const r = routerWith();
    const first = await r.receive('preempt-2-acm-mail-for-the-same-request');
    const second = await r.receive('preempt-2-acm-mail-for-the-same-request');
    expect([first.outcome, second.outcome]).toEqual(['foreign-account', 'foreign-account']);
    expect(r.archive.quarantined.size).toBe(2);
    expect(r.notifier.mails.map((mail) => mail.to)).toEqual([['security@example.org']]);
    expect(r.notifier.publications).toEqual([
      {
        topic: 'alerts',
        message: expect.objectContaining({
          type: 'security-alert',
          alert: 'foreign-account',
          accountId: '999988887777',
          authenticated: true,
        }),
        attributes: { alert: 'foreign-account', outcome: 'foreign-account' },
      },
    ]);
    expect(r.recorded(first.messageId)).toMatchObject({
      detail: null,
      security: { accountId: '999988887777', domain: 'shop.example.com', authenticated: true },
    });
    expect(r.metrics.counts.get('ForeignAccountRequest')).toBe(2);
  });

  it("raises its own alert for ACM's mail even after an unverified copy of the same request alerted", async () => {
    const r = routerWith();
    const copy = await r.receive('preempt-1-unverified-copy-of-foreign-request');
    await r.receive('preempt-2-acm-mail-for-the-same-request');
    expect(r.recorded(copy.messageId)?.detail).toBe('unauthenticated');
    expect(r.notifier.publications.map((p) => p.message.authenticated)).toEqual([false, true]);
  });
});

describe('suspicious and unparseable mail', () => {
  it('suspicious mail is quarantined and alerted once per request, with its reasons and no live link', async () => {
    const r = routerWith();
    const first = await r.receive('own-dkim-body-altered-after-signing');
    await r.receive('own-dkim-body-altered-after-signing');
    expect(first.outcome).toBe('suspicious');
    expect(first.requestKey).toMatch(/\|shop\.example\.com$/);
    expect(r.archive.quarantined.size).toBe(2);
    expect(r.notifier.mails).toHaveLength(1);
    const [alert] = r.notifier.mails;
    expect(alert?.to).toEqual(['security@example.org']);
    expect(`${alert?.text}${alert?.html}`).not.toMatch(/https:\/\/[a-z0-9-]+\.acm-certificates\.amazon\.com/);
    expect(r.notifier.publications[0]?.message).toMatchObject({
      alert: 'suspicious',
      reasons: ['dkim-disagreement', 'from-acm-unauthenticated'],
    });
    expect(r.recorded(first.messageId)?.security).toMatchObject({ domain: 'shop.example.com', authenticated: false });
  });

  it('an ACM template whose fields cannot be read is unparseable: quarantined, alerted, recorded', async () => {
    const r = routerWith();
    const outcome = await r.receive('conflict-missing-account-line');
    expect(outcome).toMatchObject({ outcome: 'unparseable', requestKey: null });
    expect(r.archive.quarantined.has(outcome.messageId)).toBe(true);
    expect(r.notifier.mails[0]?.subject).toMatch(/^\[ACM security\] An ACM approval mail could not be read/);
    expect(r.notifier.publications[0]?.attributes).toEqual({ alert: 'unparseable', outcome: 'unparseable' });
    expect(r.metrics.counts.get('UnparseableAcmMail')).toBe(1);
  });
});

describe('mail that is not ACM', () => {
  it('is summarised to the fallback owner within the hourly budget, and always recorded', async () => {
    const r = routerWith(
      exampleWith((c) => {
        c.notAcm = { mode: 'summarise', maxSummariesPerHour: 1 };
      }),
    );
    const first = await r.receive('not-acm-spam-to-admin');
    const second = await r.receive('not-acm-dmarc-aggregate-report');
    expect([first.outcome, second.outcome]).toEqual(['not-acm', 'not-acm']);
    expect(r.notifier.mails.map((mail) => mail.to)).toEqual([['platform-tickets@tickets.example.org']]);
    expect(r.recorded(first.messageId)?.detail).toBe('summarised');
    expect(r.recorded(second.messageId)?.detail).toBeNull();
    expect(r.metrics.counts.get('NotAcmMail')).toBe(2);
  });

  it('is summarised in the fallback owner’s language and zone; security alerts stay English', async () => {
    const r = routerWith(
      exampleWith((c) => {
        c.fallbackOwner = 'data';
        for (const owner of c.owners) owner.locale = 'ja';
      }),
    );
    await r.receive('not-acm-spam-to-admin');
    await r.receive('loop-auto-submitted-genuine-foreign-account');
    const [summary, alert] = r.notifier.mails;
    expect(summary?.to).toEqual(['data-tickets@tickets.example.org']);
    expect(summary?.subject).toBe('[ACMメールボックス] 承認依頼ではないメール: You have won!!!');
    expect(summary?.text).toMatch(/受信日時: +2026年11月25日\(水\) 18:00 JST \(09:00 UTC\)/);
    // The security contact has no locale: alerts are English whatever the owners read.
    expect(alert?.to).toEqual(['security@example.org']);
    expect(alert?.subject).toMatch(/^\[ACM security\] Certificate for .* not one of ours$/);
  });

  it('loop guard: from our own sender, or Auto-Submitted, it is recorded and nothing is sent', async () => {
    const r = routerWith();
    const spam = fixtureBytes('not-acm-spam-to-admin').toString('latin1');
    const fromUs = spam.replace('From: Prize Desk <winner@lottery.example>', 'From: <acm-mail@notify.example.org>');
    const autoReply = spam.replace('Subject: You have won!!!', 'Auto-Submitted: auto-replied\r\nSubject: Away');
    const ours = await r.receive(Buffer.from(fromUs, 'latin1'));
    const reply = await r.receive(Buffer.from(autoReply, 'latin1'));
    expect(r.notifier.mails).toEqual([]);
    expect(r.recorded(ours.messageId)?.detail).toBe('loop-guard:from-our-sender');
    expect(r.recorded(reply.messageId)?.detail).toBe('loop-guard:auto-submitted');
  });

  it('is only recorded when the configuration says record', async () => {
    const r = routerWith(
      exampleWith((c) => {
        c.notAcm = { mode: 'record' };
      }),
    );
    expect((await r.receive('not-acm-spam-to-admin')).outcome).toBe('not-acm');
    expect(r.notifier.mails).toEqual([]);
  });
});

describe('retries and failures', () => {
  it('a message whose outcome is recorded returns it and does nothing again', async () => {
    const r = routerWith();
    const first = await r.receive('current-new-text-only', 'same');
    const again = await r.receive('current-new-text-only', 'same');
    expect(again).toEqual({ ...first, alreadyRecorded: true });
    expect(r.notifier.mails).toHaveLength(1);
  });

  it('a missing raw mail fails the record so Lambda retries, and records nothing', async () => {
    const r = routerWith();
    const record = sesRecordForStoredMail('missing', fixtureBytes('current-new-text-only'), 'eu-west-1', NOW);
    await expect(r.router({ Records: [record] })).rejects.toBeInstanceOf(RecordsFailedError);
    expect(r.recorded('missing')).toBeUndefined();
  });

  it('a delivery that failed after the claim is finished by the retry of the same message, without a second ticket', async () => {
    const recording = recordingNotifier();
    let failPublish = true;
    const flaky: Notifier = {
      sendMail: (mail) => recording.sendMail(mail),
      publish: async (topic, message, attributes) => {
        if (failPublish) {
          failPublish = false;
          throw new Error('injected: SNS unavailable');
        }
        return recording.publish(topic, message, attributes);
      },
    };
    const r = routerWith(exampleJson(), { notifier: flaky });
    const record = r.deliver('current-new-text-only', 'flaky');
    await expect(r.router({ Records: [record] })).rejects.toBeInstanceOf(RecordsFailedError);
    const [outcome] = await r.router({ Records: [record] });
    expect(outcome?.outcome).toBe('routed');
    expect(recording.mails).toHaveLength(1);
    expect(recording.publications).toHaveLength(1);
  });

  it('a copy that finds a fresh claim of another waits, then fails so that Lambda retries it later', async () => {
    const r = routerWith();
    const first = r.deliver('copies-1-admin');
    const second = r.deliver('copies-2-administrator');
    // The first copy's claim is taken and never finished (its Lambda still running).
    let holding: () => void = () => undefined;
    const claimHeld = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const hung = makeRouter({
      configuration: parseConfiguration(exampleJson(), 'test'),
      archive: r.archive,
      store: {
        ...r.store,
        markDelivered: async () => {
          holding();
          return new Promise<void>(() => undefined);
        },
      },
      notifier: r.notifier,
      events: r.events,
      metrics: r.metrics,
      logger: r.logger,
      canary: r.canary,
      probeKeys: r.probeKeys,
      clock: () => NOW,
      dkimResolver: fixtureDkim().resolver,
    });
    void hung({ Records: [first] });
    await claimHeld;
    const failure = await r.router({ Records: [second] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RecordsFailedError);
    expect((failure as RecordsFailedError).failures[0]?.error).toBeInstanceOf(ClaimInProgressError);
  });
});

describe('what the router tells operators', () => {
  it('counts every outcome as a metric, once per message', async () => {
    const r = routerWith();
    for (const mail of [
      'current-new-text-only',
      'current-new-text-only',
      'preempt-2-acm-mail-for-the-same-request',
      'own-dkim-body-altered-after-signing',
      'conflict-missing-account-line',
      'not-acm-spam-to-admin',
    ]) {
      await r.receive(mail);
    }
    expect(r.metrics.counts).toEqual(
      new Map([
        ['RoutedMail', 1],
        ['DuplicateMail', 1],
        ['ForeignAccountRequest', 1],
        ['SuspiciousMail', 1],
        ['UnparseableAcmMail', 1],
        ['NotAcmMail', 1],
        // The routed request and the three security alerts.
        ['ProductEventsPut', 4],
      ]),
    );
  });

  it('logs every decision and outcome, and never an approval link whole', async () => {
    const r = routerWith();
    for (const mail of [
      'current-new-text-only',
      'forward-inline-gmail',
      'preempt-2-acm-mail-for-the-same-request',
      'own-dkim-body-altered-after-signing',
      'free-text-subject-is-approval-link',
    ]) {
      await r.receive(mail);
    }
    const messages = r.logger.lines.map((line) => line.message);
    expect(messages.filter((m) => m === 'mail decided')).toHaveLength(5);
    expect(messages.filter((m) => m === 'outcome recorded')).toHaveLength(5);
    const decided = r.logger.lines.find((line) => line.message === 'mail decided');
    expect(decided?.extra).toMatchObject({
      messageId: 'm-1',
      decision: 'route',
      link: expect.stringContaining('hxxps'),
    });
    const text = JSON.stringify(r.logger.lines);
    expect(text).not.toMatch(/code=[0-9a-f]/);
    expect(text).not.toMatch(/context=[0-9a-f]/);
  });
});

describe('ticket queues and their delivery profiles', () => {
  /** web-shop with a Jira Service Management queue and a Zendesk queue, and a Reply-To. */
  const twoSystems = () =>
    exampleWith((c) => {
      const shop = c.owners.find((owner: { name: string }) => owner.name === 'web-shop');
      shop.ticketQueue = [
        { address: 'shop-jira@tickets.example.org', system: 'jira-service-management' },
        { address: 'shop-zendesk@tickets.example.org', system: 'zendesk' },
      ];
      shop.replyTo = 'shop-team@example.org';
    });
  const resendOf = (name: string) =>
    changedAndResigned(name, (eml) =>
      eml.replace('code=74d429cc-e560-4eff-abf3-b231c22ea515', 'code=11111111-2222-4333-8444-555555555555'),
    );

  it('sends one ticket per queue, each with its system headers, the project header and the owner Reply-To', async () => {
    const r = routerWith(twoSystems());
    expect((await r.receive('current-new-text-only')).outcome).toBe('routed');
    const [jira, zendesk, ...rest] = r.notifier.mails;
    expect(rest).toEqual([]);
    expect(jira?.to).toEqual(['shop-jira@tickets.example.org']);
    expect(zendesk?.to).toEqual(['shop-zendesk@tickets.example.org']);
    for (const mail of [jira, zendesk]) {
      expect(mail?.subject).toBe('[ACM approval] new shop.example.com (shop-prod) - approve by Sat 28 Nov 10:00 CET');
      expect(mail?.replyTo).toBe('shop-team@example.org');
      expect(mail?.headers).toEqual({
        'X-ACM-Validation-Mail': expect.stringMatching(/^ticket; request=[0-9a-f]{32}$/),
      });
      expect(mail?.inReplyTo).toBeUndefined();
    }
    // Both queues' first tickets are kept: each thread's follow-ups reference their own.
    const request = r.store.current(r.recorded('m-1')?.requestKey ?? '');
    expect(request?.ticketMessageIds).toEqual({
      'shop-jira@tickets.example.org': 'ses-1',
      'shop-zendesk@tickets.example.org': 'ses-2',
    });
    expect(request?.ticketMessageId).toBe('ses-1');
    expect(r.notifier.publications[0]?.message).toMatchObject({ ticket: { messageId: 'ses-1' } });
  });

  it('threads each queue follow-up to the first ticket mail that queue received', async () => {
    const r = routerWith(twoSystems());
    await r.receive('current-new-text-only');
    expect((await r.receive(resendOf('current-new-text-only'))).outcome).toBe('routed');
    const [, , jiraFollowUp, zendeskFollowUp, ...rest] = r.notifier.mails;
    expect(rest).toEqual([]);
    const anchor = r.notifier.mails[0]?.references?.[0];
    expect(jiraFollowUp?.to).toEqual(['shop-jira@tickets.example.org']);
    expect(jiraFollowUp?.inReplyTo).toBe('<ses-1@eu-west-1.amazonses.com>');
    expect(jiraFollowUp?.references).toEqual([anchor, '<ses-1@eu-west-1.amazonses.com>']);
    expect(zendeskFollowUp?.to).toEqual(['shop-zendesk@tickets.example.org']);
    expect(zendeskFollowUp?.inReplyTo).toBe('<ses-2@eu-west-1.amazonses.com>');
    expect(zendeskFollowUp?.references).toEqual([anchor, '<ses-2@eu-west-1.amazonses.com>']);
    expect(zendeskFollowUp?.headers).toEqual({
      'X-ACM-Validation-Mail': expect.stringMatching(/^follow-up; request=[0-9a-f]{32}$/),
    });
    // The approvals message of the follow-up names the first follow-up mail.
    expect(r.notifier.publications[1]?.message).toMatchObject({ followUp: true, ticket: { messageId: 'ses-3' } });
  });

  it('keeps the automatic headers, and In-Reply-To the thread anchor, for a mail queue', async () => {
    const r = routerWith(
      exampleWith((c) => {
        const shop = c.owners.find((owner: { name: string }) => owner.name === 'web-shop');
        shop.ticketQueue = ['shop-tickets@tickets.example.org'];
      }),
    );
    await r.receive('current-new-text-only');
    await r.receive(resendOf('current-new-text-only'));
    const [ticket, followUp] = r.notifier.mails;
    expect(ticket?.headers).toEqual({
      'X-ACM-Validation-Mail': expect.stringMatching(/^ticket; request=[0-9a-f]{32}$/),
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    });
    expect(ticket?.replyTo).toBeUndefined();
    expect(followUp?.inReplyTo).toBe(ticket?.references?.[0]);
    expect(followUp?.references).toEqual([ticket?.references?.[0], '<ses-1@eu-west-1.amazonses.com>']);
  });

  it('after a send that failed half way, the retry mails only the queues that have no ticket yet', async () => {
    const recording = recordingNotifier();
    let calls = 0;
    const failsSecondMail: Notifier = {
      sendMail: async (mail) => {
        calls += 1;
        if (calls === 2) throw new Error('injected: SES throttled');
        return recording.sendMail(mail);
      },
      publish: (topic, message, attributes) => recording.publish(topic, message, attributes),
    };
    const r = routerWith(twoSystems(), { notifier: failsSecondMail });
    const record = r.deliver('current-new-text-only', 'half');
    await expect(r.router({ Records: [record] })).rejects.toBeInstanceOf(RecordsFailedError);
    const [outcome] = await r.router({ Records: [record] });
    expect(outcome?.outcome).toBe('routed');
    expect(recording.mails.map((mail) => mail.to)).toEqual([
      ['shop-jira@tickets.example.org'],
      ['shop-zendesk@tickets.example.org'],
    ]);
    expect(recording.publications).toHaveLength(1);
  });

  it('summarises mail that is not ACM into each fallback queue with that queue system headers', async () => {
    const r = routerWith(
      exampleWith((c) => {
        c.notAcm = { mode: 'summarise', maxSummariesPerHour: 5 };
        const platform = c.owners.find((owner: { name: string }) => owner.name === 'platform');
        platform.ticketQueue = [
          { address: 'platform-jira@tickets.example.org', system: 'jira-service-management' },
          'platform-list@example.org',
        ];
      }),
    );
    expect((await r.receive('not-acm-spam-to-admin')).outcome).toBe('not-acm');
    const [jira, list, ...rest] = r.notifier.mails;
    expect(rest).toEqual([]);
    expect(jira?.to).toEqual(['platform-jira@tickets.example.org']);
    expect(jira?.headers).toEqual({ 'X-ACM-Validation-Mail': 'summary' });
    expect(jira?.replyTo).toBe('platform-team@example.org');
    expect(list?.to).toEqual(['platform-list@example.org']);
    expect(list?.headers).toEqual({
      'X-ACM-Validation-Mail': 'summary',
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    });
    expect(jira?.subject).toBe(list?.subject);
  });

  it('records our own mail that came back with another From as a loop, and sends nothing', async () => {
    const r = routerWith(exampleWith((c) => (c.notAcm = { mode: 'summarise', maxSummariesPerHour: 5 })));
    const spam = fixtureBytes('not-acm-spam-to-admin').toString('latin1');
    const relayed = spam.replace(
      'Subject: You have won!!!',
      'X-ACM-Validation-Mail: ticket; request=0123456789abcdef0123456789abcdef\r\nSubject: [ACM approval] relayed',
    );
    const outcome = await r.receive(Buffer.from(relayed, 'latin1'));
    expect(outcome.outcome).toBe('not-acm');
    expect(r.recorded(outcome.messageId)?.detail).toBe('loop-guard:our-project-header');
    expect(r.notifier.mails).toEqual([]);
  });

  it('sends security alerts to the security contact as automatic mail', async () => {
    const r = routerWith();
    expect((await r.receive('preempt-2-acm-mail-for-the-same-request')).outcome).toBe('foreign-account');
    const [alert] = r.notifier.mails;
    expect(alert?.to).toEqual(['security@example.org']);
    expect(alert?.headers).toEqual({
      'X-ACM-Validation-Mail': 'alert',
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    });
    expect(alert?.replyTo).toBeUndefined();
  });
});
