/**
 * The router Lambda's logic: each record of an SES receipt event is processed on its own, so one bad record never
 * blocks another. If any record failed, the handler throws after all were tried: Lambda retries the event, and the
 * records that succeeded return their recorded outcome at once.
 */
import type { SESEvent } from 'aws-lambda';
import { type MailOutcome, makeMailProcessor, type RouterDeps } from './process-mail.js';

export type { RouterDeps } from './process-mail.js';

export class RecordsFailedError extends Error {
  override readonly name = 'RecordsFailedError';
  constructor(readonly failures: readonly { readonly messageId: string; readonly error: unknown }[]) {
    super(
      `${failures.length} record(s) failed: ${failures.map((f) => `${f.messageId}: ${String(f.error)}`).join('; ')}`,
    );
  }
}

export function makeRouter(deps: RouterDeps) {
  const processMail = makeMailProcessor(deps);
  return async (event: SESEvent): Promise<MailOutcome[]> => {
    const outcomes: MailOutcome[] = [];
    const failures: { messageId: string; error: unknown }[] = [];
    for (const record of event.Records) {
      try {
        outcomes.push(await processMail(record));
      } catch (error) {
        deps.logger.error('record failed; Lambda will retry the event', {
          messageId: record.ses.mail.messageId,
          error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
        });
        failures.push({ messageId: record.ses.mail.messageId, error });
      }
    }
    deps.metrics.flush();
    if (failures.length > 0) throw new RecordsFailedError(failures);
    return outcomes;
  };
}
