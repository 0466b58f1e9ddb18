/** What the router reads from SES's receipt event beside the stored mail, and how SES names what it sends. */
import type { SESEventRecord } from 'aws-lambda';
import type { SesReceipt } from '../types.js';

type Receipt = SESEventRecord['ses']['receipt'];

/** The event's verdicts, or undefined when it carries none (the parser then reads SES's stamped headers). */
export function receiptVerdicts(receipt: Receipt | undefined): SesReceipt | undefined {
  if (!receipt) return undefined;
  const present = [receipt.spfVerdict, receipt.dkimVerdict, receipt.spamVerdict, receipt.virusVerdict].some(Boolean);
  return present ? (receipt as SesReceipt) : undefined;
}

/** SES's verdicts in one line, for alerts: `SPF PASS, DKIM PASS, DMARC FAIL, spam PASS, virus PASS`. */
export function describeVerdicts(receipt: Receipt | undefined): string {
  const status = (verdict: { status?: string } | undefined) => verdict?.status ?? 'none';
  return [
    `SPF ${status(receipt?.spfVerdict)}`,
    `DKIM ${status(receipt?.dkimVerdict)}`,
    `DMARC ${status((receipt as { dmarcVerdict?: { status?: string } } | undefined)?.dmarcVerdict)}`,
    `spam ${status(receipt?.spamVerdict)}`,
    `virus ${status(receipt?.virusVerdict)}`,
  ].join(', ');
}

/** When SES received the mail; the clock when the event's timestamp is unreadable. */
export function receivedAtOf(timestamp: string, now: Date): string {
  return new Date(Date.parse(timestamp) || now.getTime()).toISOString();
}

/** SES writes the Message-ID of what it sends as `<id@email.amazonses.com>` (us-east-1) or `<id@<region>.amazonses.com>`. */
export function sesMessageIdOf(sesMessageId: string, region: string): string {
  return `<${sesMessageId}@${region === 'us-east-1' ? 'email.amazonses.com' : `${region}.amazonses.com`}>`;
}
