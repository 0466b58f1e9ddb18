/**
 * Outgoing mail (SES v2, raw MIME built here so that threading headers and the delivery profile's headers are ours)
 * and topic messages (SNS with message attributes for subscription filter policies). SES sets the envelope sender
 * (MAIL FROM, hence the receiver's Return-Path) of every mail: we never write a Return-Path, let alone a null one.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SNSClient } from '@aws-sdk/client-sns';
import { PROJECT_HEADER, personMailHeaders, projectHeaderValue } from '../core/routing/delivery-profiles.js';
import type { Mailer, OutgoingMail } from '../ports/mail.js';
import type { Notifier } from '../ports/router.js';
import { composeMail } from './mime-composer.js';

export interface NotifierTargets extends MailerTargets {
  /** Absent for a function that publishes only alerts (the canary): publishing an approval then throws. */
  readonly approvalsTopicArn?: string;
  readonly alertsTopicArn: string;
}

/** Called with each raw message after SES accepted it (the local run writes them to out/). */
export type SentMailObserver = (raw: Buffer, sesMessageId: string, mail: OutgoingMail) => void;

export interface MailerTargets {
  readonly sender: string;
  /** Addresses mail must never go to (the watched mailboxes): a last guard against loops. */
  readonly neverSendTo: ReadonlySet<string>;
}

/** Sending only (the digest): the same composition and guard as the router's notifier. */
export function sesMailer(ses: () => Promise<SESv2Client>, targets: MailerTargets, observe?: SentMailObserver): Mailer {
  return {
    async sendMail(mail) {
      const refused = mail.to.filter((address) => targets.neverSendTo.has(address.toLowerCase()));
      if (refused.length > 0) {
        throw new Error(`refusing to send to watched address(es) ${refused.join(', ')}: the mail would loop back`);
      }
      return sendThroughSes(ses, targets.sender, mail, observe);
    },
  };
}

export interface ProbeMailerTargets {
  readonly sender: string;
  /** The canary's probe targets: the only addresses a probe may go to. */
  readonly onlyTo: ReadonlySet<string>;
}

/**
 * The canary's mailer: the other way round from `sesMailer`, it sends only to the watched addresses it probes and
 * refuses every other, so a mistake can never turn the daily probes into mail to people or queues.
 */
export function sesProbeMailer(
  ses: () => Promise<SESv2Client>,
  targets: ProbeMailerTargets,
  observe?: SentMailObserver,
): Mailer {
  return {
    async sendMail(mail) {
      const refused = mail.to.filter((address) => !targets.onlyTo.has(address.toLowerCase()));
      if (refused.length > 0 || mail.to.length === 0) {
        throw new Error(`refusing to send a probe to ${refused.join(', ') || 'nobody'}: not a probe target`);
      }
      return sendThroughSes(ses, targets.sender, mail, observe);
    },
  };
}

async function sendThroughSes(
  ses: () => Promise<SESv2Client>,
  sender: string,
  mail: OutgoingMail,
  observe?: SentMailObserver,
): Promise<string> {
  const raw = composeMail({
    from: sender,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    replyTo: mail.replyTo,
    // Mail without a profile goes to people (the digest): it says it is automatic (RFC 3834). Every mail names
    // itself as ours, whatever profile it has.
    headers: {
      [PROJECT_HEADER]: projectHeaderValue('notification'),
      ...(mail.headers ?? personMailHeaders('notification')),
    },
  });
  const { SendEmailCommand } = await import('@aws-sdk/client-sesv2');
  const sent = await (await ses()).send(
    new SendEmailCommand({
      FromEmailAddress: sender,
      Destination: { ToAddresses: [...mail.to] },
      Content: { Raw: { Data: raw } },
    }),
  );
  const messageId = sent.MessageId ?? '';
  observe?.(raw, messageId, mail);
  return messageId;
}

/** The clients come from `awsClients`, which loads their SDK packages on first use. */
export function sesSnsNotifier(
  ses: () => Promise<SESv2Client>,
  sns: () => Promise<SNSClient>,
  targets: NotifierTargets,
  observe?: SentMailObserver,
): Notifier {
  return {
    sendMail: sesMailer(ses, targets, observe).sendMail,

    async publish(topic, message, attributes) {
      const topicArn = topic === 'approvals' ? targets.approvalsTopicArn : targets.alertsTopicArn;
      if (topicArn === undefined) throw new Error(`this function has no ${topic} topic to publish to`);
      const { PublishCommand } = await import('@aws-sdk/client-sns');
      await (await sns()).send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(message),
          MessageAttributes: Object.fromEntries(
            Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
          ),
        }),
      );
    },
  };
}
