/** The account source a function runs with: the configuration's list, or that and the organisation's accounts. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { Configuration } from '../core/configuration/index.js';
import type { AccountListCache, AccountSource, CachedAccountList } from '../ports/accounts.js';
import type { Log, Metrics } from '../ports/observability.js';
import { dynamoDbAccountCache } from './dynamodb-account-cache.js';
import { listedAccountSource, organizationAccountSource, organizationsClient } from './organization-accounts.js';

export interface AccountSourceWiring {
  readonly configuration: Configuration;
  readonly region: string;
  /**
   * Where the last good list is shared between containers (the router). @default none: kept in memory only (the
   * digest, which runs once a day and may not write the table)
   */
  readonly table?: { readonly dynamodb: DynamoDBClient; readonly name: string };
  readonly clock: () => Date;
  readonly logger: Log;
  readonly metrics: Metrics;
  /** @default a client in Organizations' region of the partition, through the configured role when there is one */
  readonly organizations?: () => Promise<OrganizationsClient>;
}

export function accountSource(wiring: AccountSourceWiring): AccountSource {
  const { configuration } = wiring;
  const organization = configuration.accounts.fromOrganization;
  if (organization === null) return listedAccountSource(configuration.accounts.list);
  return organizationAccountSource({
    listed: configuration.accounts.list,
    organization,
    organizations:
      wiring.organizations ?? organizationsClient({ region: wiring.region, roleArn: organization.roleArn }),
    cache: wiring.table ? dynamoDbAccountCache(wiring.table.dynamodb, wiring.table.name) : memoryAccountCache(),
    clock: wiring.clock,
    logger: wiring.logger,
    metrics: wiring.metrics,
  });
}

/** The last good list in memory only. */
function memoryAccountCache(): AccountListCache {
  let list: CachedAccountList | null = null;
  return {
    read: async () => list,
    write: async (latest) => {
      list = latest;
    },
  };
}
