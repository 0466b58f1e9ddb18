/**
 * The router's entry logic. Until the router issue lands this only records what SES delivered (message id,
 * recipients, verdicts: never the mail's content or links), so that the deployed wiring can be checked end to end.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SESEvent } from 'aws-lambda';
import type { Configuration } from '../core/configuration/index.js';

export interface RouterDeps {
  readonly configuration: Configuration;
  readonly logger: Pick<Logger, 'info'>;
}

export interface ReceivedMail {
  readonly messageId: string;
  readonly recipients: readonly string[];
  readonly verdicts: Readonly<Record<'spf' | 'dkim' | 'dmarc' | 'spam' | 'virus', string>>;
}

export function makeRouter(deps: RouterDeps) {
  return async (event: SESEvent): Promise<ReceivedMail[]> => {
    const received = event.Records.map(({ ses: { mail, receipt } }) => ({
      messageId: mail.messageId,
      recipients: receipt.recipients,
      verdicts: {
        // Older events carry no DMARC verdict at all (the SES event shape in ../shared/acm-samples, sample 16).
        spf: receipt.spfVerdict?.status ?? 'ABSENT',
        dkim: receipt.dkimVerdict?.status ?? 'ABSENT',
        dmarc: receipt.dmarcVerdict?.status ?? 'ABSENT',
        spam: receipt.spamVerdict?.status ?? 'ABSENT',
        virus: receipt.virusVerdict?.status ?? 'ABSENT',
      },
    }));
    for (const mail of received) {
      deps.logger.info('mail received', { ...mail, stack: deps.configuration.stackName });
    }
    return received;
  };
}
