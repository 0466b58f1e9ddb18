/**
 * The router with our accounts read from AWS Organizations (an HTTP stub of it): a request from an account that
 * joined the organisation an hour ago is ours; an outage with no list ever read retries the mail instead of raising
 * a foreign-account alert.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { organizationAccountSource, organizationsClient } from '../../handlers/adapters/organization-accounts.js';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import { sesRecordForStoredMail } from '../../handlers/core/stored-mail-event.js';
import type { AccountListCache, CachedAccountList } from '../../handlers/ports/accounts.js';
import { makeRouter, RecordsFailedError } from '../../handlers/router/router.js';
import { exampleWith } from '../support/configuration.js';
import { fixtureBytes, fixtureDkim } from '../support/fixtures.js';
import { inMemoryPorts } from '../support/in-memory-ports.js';
import { type OrganizationsStub, startOrganizationsStub } from '../support/organizations-stub.js';

const NOW = new Date('2026-11-25T09:00:00Z');
/** The account of fixture `preempt-2-acm-mail-for-the-same-request`: not in the example's list. */
const JOINED = '999988887777';

let stub: OrganizationsStub;
beforeAll(async () => {
  stub = await startOrganizationsStub();
});
afterAll(() => stub.stop());
beforeEach(() => {
  stub.failWith = null;
  stub.accounts = [{ id: '184694211251', name: 'shop-prod' }];
});

function memoryCache(): AccountListCache & { list: CachedAccountList | null } {
  return {
    list: null,
    async read() {
      return this.list;
    },
    async write(list) {
      this.list = list;
    },
  };
}

function routerReadingTheOrganization() {
  const config = parseConfiguration(
    exampleWith((c) => {
      c.accounts = { fromOrganization: {}, list: c.accounts };
    }),
    'test',
  );
  const ports = inMemoryPorts();
  const router = makeRouter({
    configuration: config,
    ...ports,
    accounts: organizationAccountSource({
      listed: config.accounts.list,
      organization: {},
      organizations: organizationsClient({
        region: config.region,
        endpoints: { organizations: stub.endpoint },
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      }),
      cache: memoryCache(),
      clock: () => NOW,
      logger: ports.logger,
      metrics: ports.metrics,
    }),
    clock: () => NOW,
    dkimResolver: fixtureDkim().resolver,
    claimWaitsMs: [1, 1],
    sleep: async () => undefined,
  });
  let count = 0;
  return {
    ...ports,
    async receive(fixture: string) {
      const messageId = `m-${++count}`;
      const bytes = fixtureBytes(fixture);
      ports.archive.store(messageId, bytes);
      return router({ Records: [sesRecordForStoredMail(messageId, bytes, config.region, NOW)] });
    },
  };
}

describe('the router with accounts from AWS Organizations', () => {
  it('routes a request from an account that joined the organisation (not in the configured list)', async () => {
    stub.accounts.push({ id: JOINED, name: 'shop-joined-an-hour-ago' });
    const r = routerReadingTheOrganization();
    const [outcome] = await r.receive('preempt-2-acm-mail-for-the-same-request');
    expect(outcome?.outcome).toBe('routed');
    expect(r.notifier.mails[0]?.text).toContain('shop-joined-an-hour-ago');
  });

  it('still raises a foreign-account alert for an account outside the organisation and the list', async () => {
    const r = routerReadingTheOrganization();
    const [outcome] = await r.receive('preempt-2-acm-mail-for-the-same-request');
    expect(outcome?.outcome).toBe('foreign-account');
  });

  it('with Organizations down and no list ever read, fails the mail for a retry instead of alerting', async () => {
    stub.failWith = 'ServiceException';
    const r = routerReadingTheOrganization();
    const failed = await r.receive('preempt-2-acm-mail-for-the-same-request').catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(RecordsFailedError);
    expect(r.notifier.mails).toEqual([]);
    expect(r.store.outcomes.size).toBe(0);
    expect(r.metrics.counts.get('OrganizationsLookupFailed')).toBe(1);
  });

  it('with Organizations down, still quarantines and alerts a forgery: trust is decided before accounts', async () => {
    stub.failWith = 'ServiceException';
    const r = routerReadingTheOrganization();
    const [outcome] = await r.receive('link-userinfo');
    expect(outcome?.outcome).toBe('suspicious');
    expect(r.notifier.mails.map((mail) => mail.to)).toEqual([['security@example.org']]);
    expect(r.metrics.counts.get('OrganizationsLookupFailed')).toBeUndefined();
  });
});
