import type { SESEventRecord } from 'aws-lambda';
import { parseAddressList } from './addresses.js';
import { firstValue, readHeaderBlock } from './header-block.js';
import { DEFAULT_LIMITS } from './limits.js';
import { readSesVerdicts } from './ses-verdicts.js';

/**
 * The SES Lambda-action record SES would have sent for a stored mail: recipients from `To`, verdicts from SES's own
 * stamp at the top of the header block (the same ones the parser trusts). For the local run and for replays of
 * stored mail, whose original event is gone.
 */
export function sesRecordForStoredMail(
  messageId: string,
  bytes: Uint8Array,
  region: string,
  receivedAt: Date,
): SESEventRecord {
  const header = readHeaderBlock(bytes, DEFAULT_LIMITS.maxHeaderBytes);
  const field = (name: string) => firstValue(header, name) ?? '';
  const recipients = (parseAddressList(field('to')) ?? []).map((mailbox) => mailbox.address);
  const ses = readSesVerdicts(header.fields);
  const verdict = (status: string | null | undefined) => ({ status: status ?? 'GRAY' });
  const now = receivedAt.toISOString();
  return {
    eventSource: 'aws:ses',
    eventVersion: '1.0',
    ses: {
      mail: {
        timestamp: now,
        source: field('return-path').replace(/[<>]/g, '') || 'unknown@local',
        messageId,
        destination: recipients,
        headersTruncated: false,
        headers: [],
        commonHeaders: {
          returnPath: '',
          from: [field('from')],
          to: [field('to')],
          subject: field('subject'),
          date: field('date'),
          messageId: field('message-id'),
        },
      },
      receipt: {
        timestamp: now,
        processingTimeMillis: 1,
        recipients,
        ...(ses
          ? {
              spfVerdict: verdict(ses.spf),
              dkimVerdict: verdict(ses.dkim),
              dmarcVerdict: verdict(ses.dmarc),
              spamVerdict: verdict(ses.spam),
              virusVerdict: verdict(ses.virus),
            }
          : {}),
        action: {
          type: 'Lambda',
          functionArn: `arn:aws:lambda:${region}:000000000000:function:local-router`,
          invocationType: 'Event',
        },
      },
    },
  } as SESEventRecord;
}
