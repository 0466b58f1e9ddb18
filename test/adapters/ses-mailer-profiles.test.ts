/**
 * The raw mail SES receives for each delivery profile, read back with mailparser and from the raw header block
 * itself: what a ticket system's mail processor sees (before SES adds its Message-ID and DKIM signature).
 */
import type { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMail } from '../../handlers/adapters/mime-composer.js';
import { sesMailer } from '../../handlers/adapters/ses-sns-notifier.js';
import { TICKET_SYSTEMS } from '../../handlers/core/configuration/schema.js';
import { queueMailHeaders, queueThreading } from '../../handlers/core/routing/delivery-profiles.js';
import type { OutgoingMail } from '../../handlers/ports/mail.js';

const ANCHOR = '<acm-request.0123456789abcdef0123456789abcdef@notify.example.org>';
const FIRST_TICKET = '<0102019a-first@eu-west-1.amazonses.com>';

/** A mailer over a fake SES client that keeps each raw message and its envelope as SendEmail received them. */
function capturingMailer() {
  const sent: { raw: string; input: SendEmailCommand['input'] }[] = [];
  const client = {
    async send(command: SendEmailCommand) {
      const data = command.input.Content?.Raw?.Data;
      sent.push({ raw: Buffer.from(data ?? new Uint8Array()).toString('utf8'), input: command.input });
      return { MessageId: `ses-${sent.length}` };
    },
  } as unknown as SESv2Client;
  const mailer = sesMailer(async () => client, {
    sender: 'acm-mail@notify.example.org',
    neverSendTo: new Set(['admin@example.com']),
  });
  return { mailer, sent };
}

/** The top header block, unfolded, as `name: value` lines. */
function headerBlock(raw: string): string[] {
  return raw
    .slice(0, raw.indexOf('\r\n\r\n'))
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n');
}

const ticket = (system: (typeof TICKET_SYSTEMS)[number], followUp: boolean): OutgoingMail => ({
  to: [`${system}@tickets.example.org`],
  replyTo: 'team@example.org',
  subject: `${followUp ? 'Re: ' : ''}[ACM approval] shop.example.com (shop-prod, eu-west-1)`,
  text: 'ticket text',
  html: '<p>ticket</p>',
  headers: queueMailHeaders(system, followUp ? 'follow-up' : 'ticket', '0123456789abcdef0123456789abcdef'),
  ...queueThreading(system, { anchor: ANCHOR, firstTicket: followUp ? FIRST_TICKET : null }, followUp),
});

describe('ticket mail as SES receives it, per delivery profile', () => {
  it.each(
    TICKET_SYSTEMS.filter((system) => system !== 'mail'),
  )('%s: project header and Reply-To present; Auto-Submitted, X-Auto-Response-Suppress, Precedence, Return-Path absent', async (system) => {
    const { mailer, sent } = capturingMailer();
    await mailer.sendMail(ticket(system, false));
    const raw = sent[0]?.raw ?? '';
    const block = headerBlock(raw);
    expect(block).toContain('X-ACM-Validation-Mail: ticket; request=0123456789abcdef0123456789abcdef');
    expect(block).toContain('Reply-To: team@example.org');
    expect(block).toContain('From: acm-mail@notify.example.org');
    expect(
      block.filter((line) => /^(auto-submitted|x-auto-response-suppress|precedence|return-path):/i.test(line)),
    ).toEqual([]);
    expect(block.some((line) => /^In-Reply-To:/i.test(line))).toBe(false);
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.headers.get('x-acm-validation-mail')).toBe('ticket; request=0123456789abcdef0123456789abcdef');
    expect(parsed.headers.has('auto-submitted')).toBe(false);
    expect(parsed.headers.has('precedence')).toBe(false);
    expect(parsed.replyTo?.value.map((address) => address.address)).toEqual(['team@example.org']);
    expect(parsed.references).toBe(ANCHOR);
    // SES sets the envelope sender (never null): the From address, or the custom MAIL FROM domain.
    expect(sent[0]?.input.FromEmailAddress).toBe('acm-mail@notify.example.org');
  });

  it.each(
    TICKET_SYSTEMS.filter((system) => system !== 'mail'),
  )('%s: a follow-up replies to the first ticket mail and references the anchor and it', async (system) => {
    const { mailer, sent } = capturingMailer();
    await mailer.sendMail(ticket(system, true));
    const raw = sent[0]?.raw ?? '';
    expect(headerBlock(raw)).toContain(`In-Reply-To: ${FIRST_TICKET}`);
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.inReplyTo).toBe(FIRST_TICKET);
    expect(parsed.references).toEqual([ANCHOR, FIRST_TICKET]);
    expect(parsed.headers.get('x-acm-validation-mail')).toBe('follow-up; request=0123456789abcdef0123456789abcdef');
    expect(parsed.headers.has('auto-submitted')).toBe(false);
  });

  it('mail: today behaviour, automatic headers present and In-Reply-To the anchor', async () => {
    const { mailer, sent } = capturingMailer();
    await mailer.sendMail(ticket('mail', true));
    const raw = sent[0]?.raw ?? '';
    const block = headerBlock(raw);
    expect(block).toContain('Auto-Submitted: auto-generated');
    expect(block).toContain('X-Auto-Response-Suppress: All');
    expect(block).toContain('X-ACM-Validation-Mail: follow-up; request=0123456789abcdef0123456789abcdef');
    expect(block.some((line) => /^(precedence|return-path):/i.test(line))).toBe(false);
    const parsed = await simpleParser(Buffer.from(raw));
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.inReplyTo).toBe(ANCHOR);
  });

  it('mail without a profile (the digest) goes out as automatic mail to people, and names itself as ours', async () => {
    const { mailer, sent } = capturingMailer();
    await mailer.sendMail({ to: ['leads@example.org'], subject: 'ACM approvals: 1 open', text: 't', html: '<p>t</p>' });
    const block = headerBlock(sent[0]?.raw ?? '');
    expect(block).toContain('X-ACM-Validation-Mail: notification');
    expect(block).toContain('Auto-Submitted: auto-generated');
    expect(block.some((line) => /^Reply-To:/i.test(line))).toBe(false);
  });

  it('still refuses a watched address, whatever the profile', async () => {
    const { mailer, sent } = capturingMailer();
    await expect(mailer.sendMail({ ...ticket('zendesk', false), to: ['Admin@example.com'] })).rejects.toThrow(
      /refusing to send to watched address/,
    );
    expect(sent).toEqual([]);
  });
});

describe('composeMail guards the header block', () => {
  const base = {
    from: 'acm-mail@notify.example.org',
    to: ['q@tickets.example.org'],
    subject: 's',
    text: 't',
    html: '<p>t</p>',
  };

  it('refuses a Return-Path, a field it writes itself, and a value of more than one line', () => {
    expect(() => composeMail({ ...base, headers: { 'Return-Path': '<>' } })).toThrow(/Return-Path/);
    expect(() => composeMail({ ...base, headers: { from: 'x@evil.example' } })).toThrow(/from/);
    expect(() =>
      composeMail({ ...base, headers: { 'X-ACM-Validation-Mail': 'ticket\r\nBcc: x@evil.example' } }),
    ).toThrow(/one line/);
    expect(() => composeMail({ ...base, replyTo: 'a@example.org\r\nBcc: x@evil.example' })).toThrow(/Reply-To/);
  });
});
