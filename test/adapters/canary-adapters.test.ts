/** The canary's own adapters: the probe mailer's guard, the alerts-only notifier, and its event reader. */
import type { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { sesProbeMailer, sesSnsNotifier } from '../../handlers/adapters/ses-sns-notifier.js';
import { readCanaryEvent } from '../../handlers/canary/canary.js';
import { probeMail } from '../../handlers/core/canary/probe-mail.js';
import { PROBE_HEADER } from '../../handlers/core/canary/token.js';

function capturingSes() {
  const sent: SendEmailCommand['input'][] = [];
  const client = {
    async send(command: SendEmailCommand) {
      sent.push(command.input);
      return { MessageId: `ses-${sent.length}` };
    },
  } as unknown as SESv2Client;
  return { client, sent };
}

const TOKEN =
  'v1; run=20261126T060000Z-1a2b3c4d; to=admin@example.net; at=2026-11-26T06:00:00Z; ' +
  'nonce=AAAAAAAAAAAAAAAAAAAAAA; mac=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('the probe mailer', () => {
  const target = { address: 'admin@example.net', domain: 'example.net', path: 'ses' } as const;

  it('sends a probe to a probe target from the sender, with the token header in the raw mail', async () => {
    const ses = capturingSes();
    const mailer = sesProbeMailer(async () => ses.client, {
      sender: 'acm-mail@notify.example.org',
      onlyTo: new Set(['admin@example.net']),
    });
    await mailer.sendMail(
      probeMail(target, TOKEN, { stackName: 'AcmValidationMail', runId: '20261126T060000Z-1a2b3c4d' }),
    );
    expect(ses.sent).toHaveLength(1);
    expect(ses.sent[0]?.FromEmailAddress).toBe('acm-mail@notify.example.org');
    expect(ses.sent[0]?.Destination?.ToAddresses).toEqual(['admin@example.net']);
    const raw = Buffer.from(ses.sent[0]?.Content?.Raw?.Data ?? new Uint8Array()).toString('utf8');
    expect(raw).toContain(`${PROBE_HEADER}: ${TOKEN}\r\n`);
    expect(raw).toContain('X-ACM-Validation-Mail: probe\r\n');
  });

  it('refuses any address that is not a probe target, and a mail to nobody', async () => {
    const ses = capturingSes();
    const mailer = sesProbeMailer(async () => ses.client, {
      sender: 'acm-mail@notify.example.org',
      onlyTo: new Set(['admin@example.net']),
    });
    const mail = probeMail(target, TOKEN, { stackName: 'AcmValidationMail', runId: '20261126T060000Z-1a2b3c4d' });
    await expect(mailer.sendMail({ ...mail, to: ['admin@example.net', 'security@example.org'] })).rejects.toThrow(
      'refusing to send a probe to security@example.org: not a probe target',
    );
    await expect(mailer.sendMail({ ...mail, to: [] })).rejects.toThrow(/nobody/);
    expect(ses.sent).toHaveLength(0);
  });

  it('is case-blind: ADMIN@example.net is the target admin@example.net', async () => {
    const ses = capturingSes();
    const mailer = sesProbeMailer(async () => ses.client, {
      sender: 's@notify.example.org',
      onlyTo: new Set(['admin@example.net']),
    });
    const mail = probeMail(target, TOKEN, { stackName: 'S', runId: '20261126T060000Z-1a2b3c4d' });
    await mailer.sendMail({ ...mail, to: ['ADMIN@example.net'] });
    expect(ses.sent).toHaveLength(1);
  });
});

describe('a notifier without an approvals topic', () => {
  it('refuses to publish an approval and publishes alerts', async () => {
    const published: unknown[] = [];
    const sns = { send: async (command: { input: unknown }) => published.push(command.input) };
    const notifier = sesSnsNotifier(
      async () => capturingSes().client,
      async () => sns as never,
      {
        sender: 'acm-mail@notify.example.org',
        neverSendTo: new Set(),
        alertsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      },
    );
    await expect(notifier.publish('approvals', {}, {})).rejects.toThrow('this function has no approvals topic');
    await notifier.publish('alerts', { type: 'canary-alert' }, { alert: 'probe-missing' });
    expect(published).toEqual([
      {
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
        Message: '{"type":"canary-alert"}',
        MessageAttributes: { alert: { DataType: 'String', StringValue: 'probe-missing' } },
      },
    ]);
  });
});

describe('the canary event', () => {
  it('reads the schedules and doctor shapes', () => {
    expect(readCanaryEvent({ action: 'send-round', trigger: 'schedule' })).toEqual({
      action: 'send-round',
      trigger: 'schedule',
    });
    expect(readCanaryEvent({ action: 'send-round' })).toEqual({ action: 'send-round' });
    expect(readCanaryEvent({ action: 'check-round', runId: '20261126T060000Z-1a2b3c4d' })).toEqual({
      action: 'check-round',
      runId: '20261126T060000Z-1a2b3c4d',
    });
  });

  it.each([
    [{}, /action undefined is not "send-round" or "check-round"/],
    [null, /action undefined/],
    [{ action: 'send-round', trigger: 'cron' }, /trigger "cron" is not "schedule" or "doctor"/],
    [{ action: 'check-round' }, /runId undefined is not a canary run id/],
    [{ action: 'check-round', runId: '../../etc' }, /runId "..\/..\/etc" is not a canary run id/],
  ])('refuses %j', (event, message) => {
    expect(() => readCanaryEvent(event)).toThrow(message);
  });
});
