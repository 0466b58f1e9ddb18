/**
 * The events handler end to end against the local emulators (DynamoDB, SES, SNS) with the production adapters, after
 * the router recorded the mail: closing a ticket, the missing-mail alert, idempotence, retries.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcmEventInProgressError, makeAcmEventsHandler } from '../../handlers/acm-events/acm-events.js';
import { wiredAcmEventsHandler } from '../../handlers/acm-events/wired-acm-events.js';
import { acmCertificateDescriber } from '../../handlers/adapters/acm-certificate-describer.js';
import { dynamoDbCertificateEventStore } from '../../handlers/adapters/dynamodb-certificate-event-store.js';
import { dynamoDbDigestStore } from '../../handlers/adapters/dynamodb-digest-store.js';
import { countingMetrics } from '../../handlers/adapters/observability.js';
import { buildDigests } from '../../handlers/core/digest/digest.js';
import { ACM_EVENT_METRICS } from '../../handlers/core/metrics.js';
import { type AcmEstateStub, startAcmEstateStub } from '../../handlers/local/acm-estate-stub.js';
import type { CertificateDescriber } from '../../handlers/ports/acm-events.js';
import type { Notifier } from '../../handlers/ports/router.js';
import { acmEventFixture, acmEventWith } from '../support/acm-events.js';
import { FIVE_COPIES, FIVE_COPIES_REQUEST_KEY, fixtureBytes } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/local-aws.js';
import { recordingProductEvents } from '../support/recording-product-events.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const NOW = new Date('2026-11-20T12:00:00Z');

function handlerWith(options: { describer?: CertificateDescriber; notifier?: Notifier } = {}) {
  const productEvents = recordingProductEvents();
  const metrics = countingMetrics();
  const wiring = {
    configuration: h.configuration,
    clients: h.clients,
    resources: {
      requestTable: h.table,
      alertsTopicArn: h.resources.alertsTopicArn,
      sender: h.configuration.sender,
      eventBusName: h.resources.eventBusName,
    },
    productEvents,
    describer: options.describer,
    metrics,
    clock: () => NOW,
    observeSentMail: (raw: Buffer, sesMessageId: string, mail: Parameters<Notifier['sendMail']>[0]) =>
      h.sent.push({ raw: raw.toString('utf8'), mail, sesMessageId }),
  };
  const handle = options.notifier
    ? makeAcmEventsHandler({
        configuration: h.configuration,
        store: dynamoDbCertificateEventStore(h.clients.dynamodb, h.table),
        notifier: options.notifier,
        productEvents,
        metrics,
        logger: { info: () => {}, warn: () => {}, error: () => {} },
        clock: () => NOW,
      })
    : wiredAcmEventsHandler(wiring);
  return { handle, productEvents, metrics };
}

async function routeFiveCopies() {
  for (const copy of FIVE_COPIES) {
    const record = await h.deliver(fixtureBytes(copy), { timestamp: '2026-11-19T09:00:00.000Z' });
    await h.router()(h.event(record));
  }
}

describe('ACM Certificate Available for a certificate with an open request', () => {
  it('records it issued, sends one follow-up in the ticket thread, publishes the event; the digest shows it done', async () => {
    await routeFiveCopies();
    const ticket = h.sent.find((sent) => sent.mail.subject.includes('shop.example.net'));
    expect(ticket).toBeDefined();
    const start = h.sent.length;
    const { handle, productEvents, metrics } = handlerWith();

    const result = await handle(acmEventFixture('available'));
    expect(result).toEqual({
      eventId: '4f1a8c3e-2b7d-4e59-9a61-0c5d8e7f3b21',
      outcome: 'issued',
      requestKeys: [FIVE_COPIES_REQUEST_KEY],
      alreadyRecorded: false,
    });

    const followUps = h.sent.slice(start);
    expect(followUps).toHaveLength(1);
    const followUp = followUps[0];
    expect(followUp?.mail.to).toEqual(['shop-tickets@tickets.example.org']);
    expect(followUp?.mail.subject).toBe(`Re: ${ticket?.mail.subject}`);
    expect(followUp?.mail.text).toContain('You can close this ticket');
    // Zendesk threads by the first ticket mail as it received it: SES's Message-ID of that mail.
    const firstTicket = `<${ticket?.sesMessageId}@eu-west-1.amazonses.com>`;
    expect(followUp?.mail.inReplyTo).toBe(firstTicket);
    expect(followUp?.mail.references).toContain(firstTicket);
    expect(followUp?.raw).toMatch(/^X-ACM-Validation-Mail: follow-up; request=[0-9a-f]+/m);
    expect(followUp?.raw).not.toMatch(/^Auto-Submitted:/m);

    const item = await h.requestItem(FIVE_COPIES_REQUEST_KEY);
    expect(item).toMatchObject({
      issuedAt: '2026-11-20T09:41:17.000Z',
      issuedByEvent: '4f1a8c3e-2b7d-4e59-9a61-0c5d8e7f3b21',
      issuedNoticeSentAt: NOW.toISOString(),
    });
    expect(productEvents.published).toEqual([
      {
        detailType: 'ACM Certificate Issued',
        detail: {
          schemaVersion: '1',
          outcomeKey: '4f1a8c3e-2b7d-4e59-9a61-0c5d8e7f3b21',
          owner: 'web-shop',
          certificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/975243f7-b501-4ee8-a0dc-69991761dbe0',
          accountId: '184694211251',
          region: 'eu-west-1',
          requestKeys: [FIVE_COPIES_REQUEST_KEY],
          issuedAt: '2026-11-20T09:41:17.000Z',
        },
        resources: ['arn:aws:acm:eu-west-1:184694211251:certificate/975243f7-b501-4ee8-a0dc-69991761dbe0'],
        time: '2026-11-20T09:41:17.000Z',
      },
    ]);
    expect(metrics.counts.get(ACM_EVENT_METRICS.certificateIssued)).toBe(1);

    // The digest lists it as done, not as an open request with a deadline.
    const requests = await dynamoDbDigestStore(h.clients.dynamodb, h.table).requestsOf(
      'web-shop',
      '2026-11-01T00:00:00Z',
    );
    const { owners } = buildDigests({
      configuration: h.configuration,
      requests,
      securityEvents: [],
      now: new Date('2026-11-20T12:00:00Z'),
    });
    const entry = owners
      .find((owner) => owner.owner.name === 'web-shop')
      ?.entries.find((candidate) => candidate.domain === 'shop.example.net');
    expect(entry?.state).toBe('done');
  });

  it('does nothing again on a duplicate delivery (same event id), and a later Available finds it already issued', async () => {
    const start = h.sent.length;
    const { handle, productEvents } = handlerWith();
    expect(await handle(acmEventFixture('available'))).toMatchObject({ outcome: 'issued', alreadyRecorded: true });
    expect(await handle(acmEventWith('available', { id: 'another-delivery-later' }))).toMatchObject({
      outcome: 'issued-no-request',
      alreadyRecorded: false,
    });
    expect(h.sent.length).toBe(start);
    expect(productEvents.published).toEqual([]);
  });

  it('is issued-no-request for a certificate no request names', async () => {
    const { handle } = handlerWith();
    const other = 'arn:aws:acm:eu-west-1:184694211251:certificate/11111111-2222-4333-8444-555555555555';
    expect(await handle(acmEventWith('available', { id: 'no-request', resources: [other] }))).toMatchObject({
      outcome: 'issued-no-request',
      requestKeys: [],
    });
  });
});

describe('a renewal due with no approval mail (Renewal Action Required, email-validated)', () => {
  it("alerts the owner's queue and the security contact, publishes on the alerts topic and the bus, once per window", async () => {
    const start = h.sent.length;
    const alertsBefore = (await h.topicMessages('alerts')).length;
    const { handle, productEvents, metrics } = handlerWith();
    const result = await handle(acmEventFixture('renewal-action-required'));
    expect(result).toMatchObject({ outcome: 'renewal-mail-missing', alreadyRecorded: false });

    const mails = h.sent.slice(start);
    expect(mails.map((sent) => sent.mail.to)).toEqual([
      ['platform-tickets@tickets.example.org'],
      ['security@example.org'],
    ]);
    for (const sent of mails) {
      expect(sent.mail.subject).toBe(
        '[ACM renewal] Renewal due but no approval mail arrived: www.example.com (portal-prod)',
      );
      expect(sent.mail.text).toContain('inbound-smtp.eu-west-1.amazonaws.com');
    }
    // Jira drops mail that says it is automatic; the security contact is a person.
    expect(mails[0]?.raw).not.toMatch(/^Auto-Submitted:/m);
    expect(mails[1]?.raw).toMatch(/^Auto-Submitted: auto-generated/m);

    const alerts = (await h.topicMessages('alerts')).slice(alertsBefore);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toMatchObject({
      type: 'renewal-mail-missing',
      domain: 'www.example.com',
      owner: 'platform',
      certificateArn: 'arn:aws:acm:us-east-1:133914839485:certificate/6d4b2c1e-8f3a-4e5b-9c7d-2a1b3c4d5e6f',
    });
    expect(alerts[0]?.attributes.kind).toEqual(expect.objectContaining({ Value: 'renewal-mail-missing' }));
    expect(productEvents.published.map((event) => event.detailType)).toEqual(['ACM Renewal Mail Missing']);
    expect(productEvents.published[0]?.detail).toMatchObject({
      acmEventType: 'ACM Certificate Renewal Action Required',
      daysToExpiry: 30,
      windowStart: '2026-11-05T23:59:59.000Z',
      commonName: 'www.example.com',
      owner: 'platform',
    });
    expect(metrics.counts.get(ACM_EVENT_METRICS.renewalMailMissing)).toBe(1);

    // The next day's event of the same window: recorded, not alerted again.
    const again = handlerWith();
    const nextDay = acmEventWith('renewal-action-required', {
      id: 'next-day',
      time: '2026-11-21T06:51:08Z',
      detail: { DaysToExpiry: 29 },
    });
    expect(await again.handle(nextDay)).toMatchObject({ outcome: 'renewal-mail-missing' });
    expect(h.sent.length).toBe(start + 2);
    expect(again.productEvents.published).toEqual([]);
    expect(again.metrics.counts.get(ACM_EVENT_METRICS.renewalMailMissing)).toBeUndefined();

    // Next year's window alerts again.
    const nextYear = handlerWith();
    await nextYear.handle(
      acmEventWith('renewal-action-required', {
        id: 'next-year',
        time: '2027-11-20T06:51:08Z',
        detail: { CertificateExpirationDate: '2027-12-20T23:59:59Z' },
      }),
    );
    expect(h.sent.length).toBe(start + 4);
  });
});

describe('Approaching Expiration (no validation method in the event)', () => {
  it('does nothing when the renewal approval mail arrived in the window', async () => {
    const record = await h.deliver(fixtureBytes('current-renewal-text-html'), {
      timestamp: '2026-11-18T10:00:00.000Z',
    });
    const [routed] = await h.router()(h.event(record));
    expect(routed?.outcome).toBe('routed');
    const { handle } = handlerWith();
    expect(await handle(acmEventFixture('approaching-expiration'))).toMatchObject({
      outcome: 'renewal-mail-arrived',
      requestKeys: [routed?.requestKey],
    });
  });

  it('is renewal-unknown without a status role and without mail ever seen: no alert', async () => {
    const start = h.sent.length;
    const { handle } = handlerWith();
    const unseen = 'arn:aws:acm:us-east-2:147588208287:certificate/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    expect(await handle(acmEventWith('approaching-expiration', { id: 'unseen', resources: [unseen] }))).toMatchObject({
      outcome: 'renewal-unknown',
    });
    expect(h.sent.length).toBe(start);
  });
});

describe('Approaching Expiration with ACM asked through the status role (local STS and ACM stub)', () => {
  let stub: AcmEstateStub;
  let endpoint: string;
  // The stub's calls as the SDK named them: `STS.AssumeRole`, `CertificateManager.<action>`.
  const asked = () =>
    stub.calls.map((call) => {
      const [action = ''] = call.split(' ');
      return action.startsWith('STS.') ? action : `CertificateManager.${action}`;
    });
  beforeAll(async () => {
    const certificate = (id: string, domain: string, method: 'EMAIL' | 'DNS') => ({
      CertificateArn: `arn:aws:acm:us-east-2:147588208287:certificate/aaaaaaaa-bbbb-4ccc-8ddd-${id}`,
      DomainName: domain,
      ValidationMethod: method,
      Status: 'ISSUED',
      NotAfter: '2026-12-21T06:51:08Z',
    });
    stub = await startAcmEstateStub([
      certificate('eeeeeeeeeeee', 'mail.example.com', 'EMAIL'),
      certificate('dddddddddddd', 'dns.example.com', 'DNS'),
    ]);
    endpoint = stub.endpoint;
  });
  afterAll(() => stub.stop());

  const describer = () =>
    acmCertificateDescriber({
      sts: new STSClient({
        region: 'eu-west-1',
        endpoint,
        credentials: { accessKeyId: 'AKIAEVENTS', secretAccessKey: 'x' },
      }),
      roles: new Map([['147588208287', 'arn:aws:iam::147588208287:role/AcmValidationMail-acm-status']]),
      acmClient: async (region, credentials) => new ACMClient({ region, endpoint, credentials }),
    });

  it('alerts an email-validated certificate ACM describes, and not a DNS-validated one', async () => {
    const start = h.sent.length;
    const { handle } = handlerWith({ describer: describer() });
    const email = 'arn:aws:acm:us-east-2:147588208287:certificate/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const dns = 'arn:aws:acm:us-east-2:147588208287:certificate/aaaaaaaa-bbbb-4ccc-8ddd-dddddddddddd';
    expect(
      await handle(
        acmEventWith('approaching-expiration', {
          id: 'described-email',
          resources: [email],
          detail: { CommonName: 'mail.example.com' },
        }),
      ),
    ).toMatchObject({ outcome: 'renewal-mail-missing' });
    expect(
      await handle(acmEventWith('approaching-expiration', { id: 'described-dns', resources: [dns] })),
    ).toMatchObject({
      outcome: 'renewal-not-email-validated',
    });
    expect(asked()).toEqual([
      'STS.AssumeRole',
      'CertificateManager.DescribeCertificate',
      'STS.AssumeRole',
      'CertificateManager.DescribeCertificate',
    ]);
    expect(h.sent.slice(start).map((sent) => sent.mail.to[0])).toEqual([
      'platform-tickets@tickets.example.org',
      'security@example.org',
    ]);
  });

  it('decides without ACM when the role cannot be assumed (no alert from a guess)', async () => {
    const { handle } = handlerWith({
      describer: acmCertificateDescriber({
        sts: new STSClient({
          region: 'eu-west-1',
          endpoint: 'http://127.0.0.1:9',
          credentials: { accessKeyId: 'A', secretAccessKey: 'x' },
          maxAttempts: 1,
        }),
        roles: new Map([['147588208287', 'arn:aws:iam::147588208287:role/AcmValidationMail-acm-status']]),
        acmClient: async (region, credentials) => new ACMClient({ region, endpoint, credentials }),
      }),
    });
    const arn = 'arn:aws:acm:us-east-2:147588208287:certificate/aaaaaaaa-bbbb-4ccc-8ddd-ffffffffffff';
    expect(await handle(acmEventWith('approaching-expiration', { id: 'role-down', resources: [arn] }))).toMatchObject({
      outcome: 'renewal-unknown',
    });
  });
});

describe('every event ends in exactly one recorded outcome', () => {
  it('records an expiry and counts it', async () => {
    const { handle, metrics } = handlerWith();
    expect(await handle(acmEventFixture('expired'))).toMatchObject({ outcome: 'expired', alreadyRecorded: false });
    expect(metrics.counts.get(ACM_EVENT_METRICS.certificateExpired)).toBe(1);
    expect(await handle(acmEventFixture('expired'))).toMatchObject({ outcome: 'expired', alreadyRecorded: true });
  });

  it('acts once when EventBridge delivers one event three times at once: the others wait and retry', async () => {
    const start = h.sent.length;
    const { handle, productEvents } = handlerWith();
    const arn = 'arn:aws:acm:us-east-1:133914839485:certificate/11111111-2222-4333-8444-555555555555';
    const event = acmEventWith('renewal-action-required', { id: 'delivered-thrice', resources: [arn] });
    const results = await Promise.allSettled([handle(event), handle(event), handle(event)]);
    const acted = results.filter((result) => result.status === 'fulfilled' && result.value.alreadyRecorded === false);
    expect(acted).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(AcmEventInProgressError);
    }
    // One alert: the owner's queue and the security contact, one product event.
    expect(h.sent.slice(start)).toHaveLength(2);
    expect(productEvents.published).toHaveLength(1);
    // The waiting deliveries' retries find the outcome recorded.
    expect(await handle(event)).toMatchObject({ outcome: 'renewal-mail-missing', alreadyRecorded: true });
  });

  it('records an event that is not readable as unreadable, and sends nothing', async () => {
    const start = h.sent.length;
    const { handle, metrics } = handlerWith();
    expect(await handle(acmEventWith('available', { id: 'forged', source: 'my.app' }))).toMatchObject({
      outcome: 'unreadable',
    });
    expect(metrics.counts.get(ACM_EVENT_METRICS.unreadableAcmEvent)).toBe(1);
    expect(h.sent.length).toBe(start);
  });

  it('throws on a failure (Lambda retries), and the retry finishes the work once', async () => {
    const start = h.sent.length;
    let failures = 1;
    const flaky: Notifier = {
      ...h.notifier,
      async sendMail(mail) {
        if (failures > 0) {
          failures -= 1;
          throw new Error('SES throttled');
        }
        return h.notifier.sendMail(mail);
      },
    };
    const event = acmEventWith('available', { id: 'retried-event' });
    const { handle } = handlerWith({ notifier: flaky });
    const store = dynamoDbCertificateEventStore(h.clients.dynamodb, h.table);
    // The first test recorded the request issued: reopen it, as if no Available had come yet.
    const { UpdateCommand, DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const { tableKeys } = await import('../../handlers/adapters/request-table-codec.js');
    await DynamoDBDocumentClient.from(h.clients.dynamodb).send(
      new UpdateCommand({
        TableName: h.table,
        Key: tableKeys.request(FIVE_COPIES_REQUEST_KEY),
        UpdateExpression: 'REMOVE issuedAt, issuedByEvent, issuedNoticeSentAt',
      }),
    );
    await expect(handle(event)).rejects.toThrow(/SES throttled/);
    expect(await store.recordedOutcome('retried-event')).toBeNull();
    expect(await handle(event)).toMatchObject({ outcome: 'issued', alreadyRecorded: false });
    expect(h.sent.slice(start)).toHaveLength(1);
    expect(await handle(event)).toMatchObject({ outcome: 'issued', alreadyRecorded: true });
    expect(h.sent.slice(start)).toHaveLength(1);
  });
});
