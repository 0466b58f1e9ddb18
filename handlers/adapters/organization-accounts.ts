/**
 * Our accounts from AWS Organizations: the organisation's active accounts (or those under the configured
 * organisational units, and the units below them), read through an optional role in the management or
 * delegated-administrator account, cached in memory for the life of the container and in the state table with the
 * time it was read, refreshed after 15 minutes. When Organizations cannot be read the last good list stands (logged
 * and counted: the stack alarms on it); every account is never taken for foreign because of an outage.
 */
import type {
  Account,
  ListOrganizationalUnitsForParentCommandOutput,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { type AccountDirectory, accountDirectory, type OrganizationAccount } from '../core/accounts.js';
import type { NamedAccount, OrganizationAccounts } from '../core/configuration/index.js';
import { ORGANIZATION_METRICS } from '../core/metrics.js';
import type { AccountListCache, AccountSource, CachedAccountList } from '../ports/accounts.js';
import type { Log, Metrics } from '../ports/observability.js';

export interface OrganizationAccountSourceOptions {
  readonly listed: readonly NamedAccount[];
  readonly organization: OrganizationAccounts;
  /** An Organizations client with the credentials to use (the role's, when one is configured). */
  readonly organizations: () => Promise<OrganizationsClient>;
  readonly cache: AccountListCache;
  readonly clock: () => Date;
  readonly logger: Log;
  readonly metrics: Metrics;
  /** @default 15 minutes */
  readonly refreshMs?: number;
  /**
   * A request from an account not in a list older than this makes the source read Organizations again (an account
   * that joined minutes ago is ours). @default 1 minute: at most one extra read a minute, whatever the mail says
   */
  readonly lookAgainMs?: number;
}

/** Organizations allows five levels of units below the root: a deeper walk means the answers loop. */
const MAX_UNIT_DEPTH = 6;
/** No organisation has this many accounts (the default quota is 10, the hard ceiling far below this). */
const MAX_ACCOUNTS = 100_000;

export class OrganizationsUnavailableError extends Error {
  override readonly name = 'OrganizationsUnavailableError';
}

export function organizationAccountSource(options: OrganizationAccountSourceOptions): AccountSource {
  const refreshMs = options.refreshMs ?? 15 * 60_000;
  const lookAgainMs = options.lookAgainMs ?? 60_000;
  let known: CachedAccountList | null = null;
  let reading: Promise<CachedAccountList> | null = null;

  const ageOf = (list: CachedAccountList) => options.clock().getTime() - Date.parse(list.readAt);
  const directoryOf = (list: CachedAccountList | null): AccountDirectory =>
    accountDirectory(options.listed, list?.accounts ?? []);
  const fresh = (list: CachedAccountList | null, unknownAccountId: string | undefined): boolean =>
    list !== null && ageOf(list) < (unknownAccountId === undefined ? refreshMs : Math.min(refreshMs, lookAgainMs));

  async function readOrganization(): Promise<CachedAccountList> {
    const client = await options.organizations();
    const accounts = await activeAccounts(client, options.organization.ous);
    const list = { accounts, readAt: options.clock().toISOString() };
    await options.cache.write(list);
    return list;
  }

  return {
    async directory(unknownAccountId) {
      if (fresh(known, unknownAccountId)) return directoryOf(known);
      // Another container may have read Organizations a moment ago.
      const stored = await options.cache.read().catch((error: unknown) => {
        options.logger.warn('the cached list of organisation accounts could not be read', { error: String(error) });
        return null;
      });
      if (stored !== null && (known === null || stored.readAt > known.readAt)) known = stored;
      if (fresh(known, unknownAccountId)) return directoryOf(known);

      reading ??= readOrganization().finally(() => {
        reading = null;
      });
      try {
        known = await reading;
        return directoryOf(known);
      } catch (error) {
        options.metrics.count(ORGANIZATION_METRICS.lookupFailed);
        options.logger.error('AWS Organizations could not be read; using the last good list of accounts', {
          error: String(error),
          lastGoodListReadAt: known?.readAt ?? null,
          roleArn: options.organization.roleArn ?? null,
        });
        if (known !== null) return directoryOf(known);
        throw new OrganizationsUnavailableError(
          `AWS Organizations could not be read (${String(error)}) and no earlier list of the organisation's accounts is cached: ` +
            'the mail is retried rather than every request taken for a foreign account',
          { cause: error },
        );
      }
    },
  };
}

/** The listed accounts alone: the configuration does not read the organisation. */
export function listedAccountSource(listed: readonly NamedAccount[]): AccountSource {
  const directory = accountDirectory(listed);
  return { directory: async () => directory };
}

const isActive = (account: Account) => (account.State ?? account.Status) === 'ACTIVE';

/** The organisation's active accounts, or those under `ous` and the units below them. */
async function activeAccounts(
  client: OrganizationsClient,
  ous: readonly string[] | undefined,
): Promise<OrganizationAccount[]> {
  const { ListAccountsCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand } = await import(
    '@aws-sdk/client-organizations'
  );
  const found = new Map<string, OrganizationAccount>();
  const keep = (accounts: readonly Account[] | undefined) => {
    for (const account of accounts ?? []) {
      if (account.Id === undefined || !isActive(account)) continue;
      found.set(account.Id, { id: account.Id, name: account.Name ?? account.Id });
      if (found.size > MAX_ACCOUNTS) throw new Error(`Organizations listed more than ${MAX_ACCOUNTS} accounts`);
    }
  };

  if (ous === undefined) {
    let token: string | undefined;
    do {
      const page = await client.send(new ListAccountsCommand({ NextToken: token }));
      keep(page.Accounts);
      token = page.NextToken;
    } while (token !== undefined);
    return [...found.values()];
  }

  const visited = new Set<string>();
  let level = [...ous];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > MAX_UNIT_DEPTH) throw new Error(`organisational units nest deeper than ${MAX_UNIT_DEPTH} levels`);
    const next: string[] = [];
    for (const parent of level) {
      if (visited.has(parent)) continue;
      visited.add(parent);
      let token: string | undefined;
      do {
        const page = await client.send(new ListAccountsForParentCommand({ ParentId: parent, NextToken: token }));
        keep(page.Accounts);
        token = page.NextToken;
      } while (token !== undefined);
      do {
        const page: ListOrganizationalUnitsForParentCommandOutput = await client.send(
          new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken: token }),
        );
        for (const unit of page.OrganizationalUnits ?? []) if (unit.Id !== undefined) next.push(unit.Id);
        token = page.NextToken;
      } while (token !== undefined);
    }
    level = next;
  }
  return [...found.values()];
}

export interface OrganizationsClientOptions {
  /** The stack's region: Organizations answers in one region of each partition. */
  readonly region: string;
  /** A role to assume first (the configuration's `accounts.fromOrganization.roleArn`). */
  readonly roleArn?: string | undefined;
  /** Tests and the local run point both clients at stubs. */
  readonly endpoints?: { readonly organizations?: string; readonly sts?: string };
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Organizations' one region in each partition (AWS General Reference, "AWS Organizations endpoints and quotas"). */
export function organizationsRegion(region: string): string {
  if (region.startsWith('cn-')) return 'cn-northwest-1';
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/** An Organizations client, created on first use, with the role's credentials when a role is configured. */
export function organizationsClient(options: OrganizationsClientOptions): () => Promise<OrganizationsClient> {
  let created: Promise<OrganizationsClient> | undefined;
  return () => {
    created ??= (async () => {
      const { OrganizationsClient: Client } = await import('@aws-sdk/client-organizations');
      const { NodeHttpHandler } = await import('@smithy/node-http-handler');
      const requestHandler = new NodeHttpHandler({
        connectionTimeout: 2_000,
        requestTimeout: 10_000,
        throwOnRequestTimeout: true,
      });
      const credentials =
        options.roleArn === undefined ? options.credentials : await roleCredentials(options, requestHandler);
      return new Client({
        region: organizationsRegion(options.region),
        endpoint: options.endpoints?.organizations,
        credentials,
        maxAttempts: 3,
        retryMode: 'standard',
        requestHandler,
      });
    })();
    return created;
  };
}

/** Temporary credentials of the role, assumed again five minutes before they expire. */
async function roleCredentials(options: OrganizationsClientOptions, requestHandler: unknown) {
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({
    region: options.region,
    endpoint: options.endpoints?.sts,
    credentials: options.credentials,
    maxAttempts: 3,
    requestHandler: requestHandler as never,
  });
  const roleArn = options.roleArn as string;
  let current: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date } | null = null;
  return async () => {
    if (current?.expiration !== undefined && current.expiration.getTime() - Date.now() > 5 * 60_000) return current;
    const answer = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'acm-validation-mail-accounts',
        DurationSeconds: 3600,
      }),
    );
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    current = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    return current;
  };
}
