/**
 * An owner with two ticket queues of different systems, end to end on the emulators (S3, DynamoDB, SES, SNS): one
 * ticket mail per queue, each with its own system's headers, and follow-ups threaded per queue.
 */
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWith } from '../support/configuration.js';
import { changedAndResigned, fixtureBytes } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/local-aws.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    configuration: exampleWith((c) => {
      const shop = c.owners.find((owner: { name: string }) => owner.name === 'web-shop');
      shop.ticketQueue = [
        { address: 'shop-jira@tickets.example.org', system: 'jira-service-management' },
        { address: 'shop-zendesk@tickets.example.org', system: 'zendesk' },
      ];
      shop.replyTo = 'shop-team@example.org';
    }),
  });
});
afterAll(() => h.stop());

async function route(bytes: Buffer) {
  const record = await h.deliver(bytes);
  const [outcome] = await h.router()(h.event(record));
  return outcome;
}

describe('an owner with a Jira Service Management queue and a Zendesk queue', () => {
  it('gets one ticket per queue with that system headers, and follow-ups threaded to each queue first ticket', async () => {
    const original = fixtureBytes('current-new-text-only');
    const resend = changedAndResigned('current-new-text-only', (eml) =>
      eml.replace('code=74d429cc-e560-4eff-abf3-b231c22ea515', 'code=11111111-2222-4333-8444-555555555555'),
    );
    const first = await route(original);
    expect(first?.outcome).toBe('routed');
    expect((await route(resend))?.outcome).toBe('routed');

    const [jira, zendesk, jiraFollowUp, zendeskFollowUp, ...rest] = h.sent;
    expect(rest).toEqual([]);
    const store = await h.sesStore();
    expect(store.emails.map((email) => email.destination.to)).toEqual([
      ['shop-jira@tickets.example.org'],
      ['shop-zendesk@tickets.example.org'],
      ['shop-jira@tickets.example.org'],
      ['shop-zendesk@tickets.example.org'],
    ]);

    for (const mail of [jira, zendesk]) {
      const parsed = await simpleParser(Buffer.from(mail?.raw ?? ''));
      expect(parsed.subject).toMatch(
        /^\[ACM approval\] new shop\.example\.com \(shop-prod\) - approve by \w{3} \d{1,2} \w{3} \d\d:\d\d CES?T$/,
      );
      expect(parsed.headers.get('x-acm-validation-mail')).toMatch(/^ticket; request=[0-9a-f]{32}$/);
      expect(parsed.headers.has('auto-submitted')).toBe(false);
      expect(parsed.headers.has('x-auto-response-suppress')).toBe(false);
      expect(parsed.headers.has('precedence')).toBe(false);
      expect(parsed.replyTo?.value.map((address) => address.address)).toEqual(['shop-team@example.org']);
      expect(mail?.raw).not.toMatch(/^(Auto-Submitted|Return-Path|Precedence):/im);
    }
    const anchor = (await simpleParser(Buffer.from(jira?.raw ?? ''))).references;
    expect(anchor).toMatch(/^<acm-request\.[0-9a-f]{32}@notify\.example\.org>$/);

    const pairs = [
      [jira, jiraFollowUp],
      [zendesk, zendeskFollowUp],
    ] as const;
    for (const [ticket, followUp] of pairs) {
      const firstTicket = `<${ticket?.sesMessageId}@eu-west-1.amazonses.com>`;
      const parsed = await simpleParser(Buffer.from(followUp?.raw ?? ''));
      expect(followUp?.mail.to).toEqual(ticket?.mail.to);
      expect(parsed.inReplyTo).toBe(firstTicket);
      expect(parsed.references).toEqual([anchor, firstTicket]);
      expect(parsed.headers.get('x-acm-validation-mail')).toMatch(/^follow-up; request=[0-9a-f]{32}$/);
      expect(parsed.headers.has('auto-submitted')).toBe(false);
    }

    // The state table keeps each queue's first ticket for the next follow-up (and for a retry after a partial send).
    const item = await h.requestItem(first?.requestKey ?? '');
    expect(item?.ticketMessageIds).toEqual({
      'shop-jira@tickets.example.org': jira?.sesMessageId,
      'shop-zendesk@tickets.example.org': zendesk?.sesMessageId,
    });
    expect(item?.ticketMessageId).toBe(jira?.sesMessageId);
  });
});
