/**
 * `acm-mail replay`: runs stored mail through the router again. Idempotent: a message whose outcome is recorded
 * returns that outcome and nothing is sent again, so replaying a whole prefix only finishes what never finished.
 * Sources: message ids, an S3 prefix of the archive, a local folder (uploaded under inbound/ first), or the router's
 * dead-letter queue (each failed event is re-run with its original SES verdicts, then deleted from the queue).
 */
import { createHash } from 'node:crypto';
import type { SESEvent, SESEventRecord } from 'aws-lambda';
import type { ReplaySources } from '../ports/replay.js';
import type { MailOutcome } from '../router/process-mail.js';

export type ReplaySource =
  | { readonly kind: 'message-ids'; readonly messageIds: readonly string[] }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'files'; readonly files: readonly { readonly name: string; readonly bytes: Buffer }[] }
  | { readonly kind: 'dead-letters' };

export interface ReplayDeps extends ReplaySources {
  readonly router: (event: SESEvent) => Promise<MailOutcome[]>;
  /** The SES record SES would have sent for a stored mail (recipients from `To`, verdicts from SES's stamp). */
  readonly recordFor: (messageId: string, bytes: Buffer) => SESEventRecord;
}

export interface ReplayLine {
  readonly messageId: string;
  readonly outcome: MailOutcome['outcome'] | 'failed';
  readonly alreadyRecorded: boolean;
  readonly error?: string;
}

export async function replay(
  source: ReplaySource,
  deps: ReplayDeps,
  report: (line: ReplayLine) => void,
): Promise<ReplayLine[]> {
  const lines: ReplayLine[] = [];
  const emit = (line: ReplayLine) => {
    lines.push(line);
    report(line);
  };
  const runEvent = async (event: SESEvent): Promise<boolean> => {
    try {
      for (const outcome of await deps.router(event)) {
        emit({ messageId: outcome.messageId, outcome: outcome.outcome, alreadyRecorded: outcome.alreadyRecorded });
      }
      return true;
    } catch (error) {
      for (const record of event.Records) {
        emit({ messageId: record.ses.mail.messageId, outcome: 'failed', alreadyRecorded: false, error: String(error) });
      }
      return false;
    }
  };
  const runStored = async (messageId: string) => {
    const bytes = await deps.readArchive(messageId);
    if (bytes === null) {
      emit({ messageId, outcome: 'failed', alreadyRecorded: false, error: `inbound/${messageId} does not exist` });
      return;
    }
    await runEvent({ Records: [deps.recordFor(messageId, bytes)] });
  };

  switch (source.kind) {
    case 'message-ids':
      for (const messageId of source.messageIds) await runStored(messageId);
      break;
    case 'prefix':
      for (const key of await deps.listArchive(source.prefix)) await runStored(key.slice(key.lastIndexOf('/') + 1));
      break;
    case 'files':
      for (const file of source.files) {
        // Content-addressed: replaying the same file twice is the same message, so the second run changes nothing.
        const messageId = `replay-${createHash('sha256').update(file.bytes).digest('hex').slice(0, 40)}`;
        await deps.putInbound(messageId, file.bytes);
        await runEvent({ Records: [deps.recordFor(messageId, file.bytes)] });
      }
      break;
    case 'dead-letters':
      for (let batch = await deps.receiveDeadLetters(); batch.length > 0; batch = await deps.receiveDeadLetters()) {
        for (const letter of batch) {
          const event = deadLetterEvent(letter.body);
          if (event === null) {
            emit({
              messageId: '(unreadable dead letter)',
              outcome: 'failed',
              alreadyRecorded: false,
              error: 'not a Lambda failure record',
            });
            continue;
          }
          // Kept in the queue when it fails again: nothing is lost, and the alarm stays on.
          if (await runEvent(event)) await letter.remove();
        }
      }
      break;
  }
  return lines;
}

/** The original SES event inside a Lambda asynchronous-invocation failure record (its `requestPayload`). */
export function deadLetterEvent(body: string): SESEvent | null {
  try {
    const parsed = JSON.parse(body) as { requestPayload?: SESEvent };
    const payload = parsed.requestPayload;
    return payload && Array.isArray(payload.Records) ? payload : null;
  } catch {
    return null;
  }
}
