/**
 * Our accounts from AWS Organizations, through the production adapters: an HTTP stub of Organizations and STS, and
 * the state table on dynalite for the shared cache.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsClients } from '../../handlers/adapters/aws-clients.js';
import { dynamoDbAccountCache } from '../../handlers/adapters/dynamodb-account-cache.js';
import { countingMetrics } from '../../handlers/adapters/observability.js';
import {
  OrganizationsUnavailableError,
  organizationAccountSource,
  organizationsClient,
  organizationsRegion,
} from '../../handlers/adapters/organization-accounts.js';
import type { OrganizationAccounts } from '../../handlers/core/configuration/index.js';
import {
  createRequestTable,
  LOCAL_CREDENTIALS,
  type LocalServices,
  startLocalServices,
} from '../../handlers/local/services.js';
import type { AccountListCache } from '../../handlers/ports/accounts.js';
import { recordingLog } from '../support/in-memory-ports.js';
import { type OrganizationsStub, startOrganizationsStub } from '../support/organizations-stub.js';

let services: LocalServices;
let stub: OrganizationsStub;
beforeAll(async () => {
  services = await startLocalServices();
  stub = await startOrganizationsStub(2);
});
afterAll(async () => {
  await stub.stop();
  await services.stop();
});
beforeEach(() => {
  stub.calls.length = 0;
  stub.assumed.length = 0;
  stub.callers.length = 0;
  stub.failWith = null;
  stub.units = {};
  stub.accounts = [
    { id: '111111111111', name: 'management' },
    { id: '222222222222', name: 'shop-prod' },
    { id: '333333333333', name: 'closed-one', state: 'CLOSED' },
    { id: '444444444444', name: 'suspended-one', state: 'SUSPENDED' },
    { id: '555555555555', name: 'data-prod' },
  ];
});

async function cache(): Promise<AccountListCache> {
  const { dynamodb } = awsClients({
    region: 'eu-west-1',
    endpoints: services.endpoints,
    credentials: LOCAL_CREDENTIALS,
  });
  const table = `accounts-${randomUUID().slice(0, 8)}`;
  await createRequestTable(dynamodb, table);
  return dynamoDbAccountCache(dynamodb, table);
}

function source(options: {
  cache: AccountListCache;
  organization?: OrganizationAccounts;
  clock?: () => Date;
  listed?: { id: string; name: string }[];
}) {
  const logger = recordingLog();
  const metrics = countingMetrics();
  const organization = options.organization ?? {};
  const accounts = organizationAccountSource({
    listed: options.listed ?? [
      { id: '222222222222', name: 'shop (listed name)' },
      { id: '999999999999', name: 'outside' },
    ],
    organization,
    organizations: organizationsClient({
      region: 'eu-west-1',
      roleArn: organization.roleArn,
      endpoints: { organizations: stub.endpoint, sts: stub.endpoint },
      credentials: LOCAL_CREDENTIALS,
    }),
    cache: options.cache,
    clock: options.clock ?? (() => new Date('2026-11-26T09:00:00Z')),
    logger,
    metrics,
  });
  return { accounts, logger, metrics };
}

describe('accounts from AWS Organizations', () => {
  it("are the organisation's active accounts, every page, plus the listed ones; a listed name wins", async () => {
    const { accounts } = source({ cache: await cache() });
    const ours = await accounts.directory();
    expect(['111111111111', '222222222222', '555555555555', '999999999999'].every((id) => ours.isOurs(id))).toBe(true);
    expect(ours.isOurs('333333333333')).toBe(false);
    expect(ours.isOurs('444444444444')).toBe(false);
    expect(ours.isOurs('123456789012')).toBe(false);
    expect(ours.nameOf('555555555555')).toBe('data-prod');
    expect(ours.nameOf('222222222222')).toBe('shop (listed name)');
    expect(stub.calls).toEqual(['ListAccounts -', 'ListAccounts -', 'ListAccounts -']);
  });

  it('under organisational units: the accounts of each unit and of the units below it, every page', async () => {
    stub.units = { 'ou-ab12-prod0001': 'r-ab12', 'ou-ab12-shop0001': 'ou-ab12-prod0001', 'ou-ab12-sand0001': 'r-ab12' };
    stub.accounts = [
      { id: '111111111111', name: 'management' },
      { id: '222222222222', name: 'prod-a', parent: 'ou-ab12-prod0001' },
      { id: '555555555555', name: 'prod-b', parent: 'ou-ab12-prod0001' },
      { id: '666666666666', name: 'prod-c', parent: 'ou-ab12-prod0001' },
      { id: '777777777777', name: 'shop-deep', parent: 'ou-ab12-shop0001' },
      { id: '888888888888', name: 'sandbox', parent: 'ou-ab12-sand0001' },
    ];
    const { accounts } = source({ cache: await cache(), organization: { ous: ['ou-ab12-prod0001'] } });
    const ours = await accounts.directory();
    expect(['222222222222', '555555555555', '666666666666', '777777777777'].every((id) => ours.isOurs(id))).toBe(true);
    expect(ours.isOurs('888888888888')).toBe(false);
    expect(ours.isOurs('111111111111')).toBe(false);
    expect(stub.calls).toContain('ListAccountsForParent ou-ab12-shop0001');
    expect(stub.calls.filter((call) => call === 'ListAccountsForParent ou-ab12-prod0001')).toHaveLength(2);
  });

  it('asks through the configured role when there is one', async () => {
    const role = 'arn:aws:iam::111111111111:role/acm-mail-list-accounts';
    const { accounts } = source({ cache: await cache(), organization: { roleArn: role } });
    expect((await accounts.directory()).isOurs('555555555555')).toBe(true);
    expect(stub.assumed).toEqual([role]);
    expect(new Set(stub.callers)).toEqual(new Set(['ASIAROLE1']));
  });

  it('reads once per 15 minutes, sharing the list through the state table with other containers', async () => {
    let now = new Date('2026-11-26T09:00:00Z');
    const shared = await cache();
    const first = source({ cache: shared, clock: () => now });
    await first.accounts.directory();
    const reads = stub.calls.length;
    now = new Date('2026-11-26T09:14:00Z');
    await first.accounts.directory();
    // Another container, started later, finds the list in the table.
    await source({ cache: shared, clock: () => now }).accounts.directory();
    expect(stub.calls.length).toBe(reads);
    now = new Date('2026-11-26T09:16:00Z');
    await first.accounts.directory();
    expect(stub.calls.length).toBe(2 * reads);
  });

  it('looks again, at most once a minute, when a request names an account the list does not have', async () => {
    let now = new Date('2026-11-26T09:00:00Z');
    const { accounts } = source({ cache: await cache(), clock: () => now });
    expect((await accounts.directory()).isOurs('121212121212')).toBe(false);
    const reads = stub.calls.length;
    // The account joins the organisation; a request from it arrives 30 s later, and again 2 minutes later.
    stub.accounts.push({ id: '121212121212', name: 'joined-just-now' });
    now = new Date('2026-11-26T09:00:30Z');
    expect((await accounts.directory('121212121212')).isOurs('121212121212')).toBe(false);
    expect(stub.calls.length).toBe(reads);
    now = new Date('2026-11-26T09:02:00Z');
    expect((await accounts.directory('121212121212')).nameOf('121212121212')).toBe('joined-just-now');
  });

  it('keeps the last good list when Organizations cannot be read, and says so in the log and a metric', async () => {
    let now = new Date('2026-11-26T09:00:00Z');
    const { accounts, logger, metrics } = source({ cache: await cache(), clock: () => now });
    await accounts.directory();
    stub.failWith = 'AccessDeniedException';
    now = new Date('2026-11-26T10:00:00Z');
    const ours = await accounts.directory();
    expect(ours.isOurs('555555555555')).toBe(true);
    expect(metrics.counts.get('OrganizationsLookupFailed')).toBe(1);
    expect(logger.lines.find((line) => line.level === 'error')).toMatchObject({
      message: 'AWS Organizations could not be read; using the last good list of accounts',
      extra: { lastGoodListReadAt: '2026-11-26T09:00:00.000Z' },
    });
    expect(String(logger.lines.find((line) => line.level === 'error')?.extra?.error)).toContain('AccessDenied');
  });

  it('with no list ever read, fails the call (the mail is retried) rather than take every account for foreign', async () => {
    stub.failWith = 'ServiceException';
    const { accounts, metrics } = source({ cache: await cache() });
    await expect(accounts.directory()).rejects.toBeInstanceOf(OrganizationsUnavailableError);
    await expect(accounts.directory()).rejects.toThrow(/rather than every request taken for a foreign account/);
    expect(metrics.counts.get('OrganizationsLookupFailed')).toBe(2);
  });

  it('asks Organizations in the one region of the partition', () => {
    expect(organizationsRegion('eu-west-1')).toBe('us-east-1');
    expect(organizationsRegion('cn-north-1')).toBe('cn-northwest-1');
    expect(organizationsRegion('us-gov-east-1')).toBe('us-gov-west-1');
  });
});
