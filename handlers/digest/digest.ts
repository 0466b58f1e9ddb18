/**
 * The digest's entry logic. Until the digest issue lands this only records that the schedule fired and for which
 * owners a digest is due, so that the deployed schedule can be checked.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Configuration } from '../core/configuration/index.js';

export interface DigestDeps {
  readonly configuration: Configuration;
  readonly logger: Pick<Logger, 'info'>;
}

export function makeDigest(deps: DigestDeps) {
  return async (): Promise<{ readonly owners: string[] }> => {
    const owners = deps.configuration.owners.map((owner) => owner.name);
    deps.logger.info('digest due', { owners, timeZone: deps.configuration.digest.timeZone });
    return { owners };
  };
}
