/**
 * The estate listed through the production lister against the local STS and ACM stub: every page, every key type,
 * ThrottlingException retried by the SDK, an account whose role cannot be assumed reported while the others are
 * listed, and progress per account.
 */
import { STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { acmEstateLister, estateAcmClients } from '../../handlers/adapters/acm-estate-lister.js';
import { type EstateProgress, makeEstate } from '../../handlers/estate/estate.js';
import { type AcmEstateStub, type StubCertificate, startAcmEstateStub } from '../../handlers/local/acm-estate-stub.js';
import type { ApprovalMailHistory } from '../../handlers/ports/estate.js';
import { exampleConfiguration } from '../support/configuration.js';

const SHOP = '184694211251';
const PORTAL = '133914839485';
const role = (account: string) => `arn:aws:iam::${account}:role/AcmValidationMail-acm-status`;
const certificate = (account: string, region: string, n: number, over: Partial<StubCertificate> = {}) => ({
  CertificateArn: `arn:aws:acm:${region}:${account}:certificate/00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  DomainName: `c${n}.shop.example.com`,
  ValidationMethod: 'EMAIL' as const,
  Status: 'ISSUED',
  NotAfter: '2027-03-01T00:00:00.000Z',
  ...over,
});

const configuration = {
  ...exampleConfiguration(),
  accounts: {
    list: [
      { id: SHOP, name: 'shop-prod', statusRoleArn: role(SHOP) },
      { id: PORTAL, name: 'portal-prod', statusRoleArn: role(PORTAL) },
      { id: '147588208287', name: 'api-prod' },
    ],
    fromOrganization: null,
  },
};

let stub: AcmEstateStub | undefined;
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

function estateAgainst(
  running: AcmEstateStub,
  over: { history?: ApprovalMailHistory; progress?: EstateProgress[] } = {},
) {
  const sts = new STSClient({
    region: 'eu-west-1',
    endpoint: running.endpoint,
    credentials: { accessKeyId: 'AKIASHELL', secretAccessKey: 'x' },
  });
  return makeEstate({
    configuration,
    lister: acmEstateLister({
      sts,
      // The production factory (its retry settings are what is tested), pointed at the stub.
      acmClient: estateAcmClients({ endpoint: running.endpoint }),
    }),
    history: over.history,
    clock: () => new Date('2026-11-26T04:00:00Z'),
    onProgress: (step) => over.progress?.push(step),
  });
}

describe('the estate listing', () => {
  it('reads every page in every configured region, every key type, and names account and region', async () => {
    const certificates = [
      ...[1, 2, 3, 4, 5].map((n) => certificate(SHOP, 'eu-west-1', n)),
      certificate(SHOP, 'eu-west-1', 6, { KeyAlgorithm: 'EC_prime256v1', ValidationMethod: 'DNS' }),
      certificate(SHOP, 'us-east-1', 7),
      // Not a configured region (eu-west-1 and us-east-1): never asked for.
      certificate(SHOP, 'eu-central-1', 8),
    ];
    stub = await startAcmEstateStub(certificates, { pageSize: 2 });
    const report = await estateAgainst(stub)();
    expect(report.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(report.certificates.map((c) => `${c.accountName} ${c.region} ${c.domain}`)).toEqual([
      'shop-prod eu-west-1 c1.shop.example.com',
      'shop-prod eu-west-1 c2.shop.example.com',
      'shop-prod eu-west-1 c3.shop.example.com',
      'shop-prod eu-west-1 c4.shop.example.com',
      'shop-prod eu-west-1 c5.shop.example.com',
      'shop-prod eu-west-1 c6.shop.example.com',
      'shop-prod us-east-1 c7.shop.example.com',
    ]);
    // Six certificates in pages of two: three calls, the later ones with the NextToken of the one before.
    expect(stub.calls.filter((call) => call === `ListCertificates ${SHOP} eu-west-1`)).toHaveLength(3);
    expect(report.certificates[5]?.validations).toEqual([
      { name: 'c6.shop.example.com', method: 'DNS', validationDomain: 'c6.shop.example.com' },
    ]);
    expect(report.certificates[0]).toMatchObject({
      status: 'ISSUED',
      notAfter: '2027-03-01T00:00:00.000Z',
      renewalEligibility: 'INELIGIBLE',
      seenMail: null,
    });
    // The account without a status role is said, not failed; nothing is unlisted.
    expect(report.withoutRole).toEqual([{ accountId: '147588208287', accountName: 'api-prod' }]);
    expect(report.unlisted).toEqual([]);
    expect(report.accountsListed).toBe(2);
  });

  it('rides out ThrottlingException with the SDK retry and lists everything', async () => {
    stub = await startAcmEstateStub([1, 2, 3].map((n) => certificate(SHOP, 'eu-west-1', n)));
    stub.throttleNext = 2;
    const report = await estateAgainst(stub)();
    expect(report.certificates).toHaveLength(3);
    expect(report.unlisted).toEqual([]);
    expect(stub.throttleNext).toBe(0);
    // Shop: 2 pages and 3 describes in eu-west-1, 1 page in us-east-1; portal: 1 page in each region. The two
    // throttled answers came first and were asked again: 8 answered calls and 2 refused ones.
    expect(stub.calls.filter((call) => !call.startsWith('STS.'))).toHaveLength(8 + 2);
  });

  it('reports an account whose role cannot be assumed, and lists the others', async () => {
    stub = await startAcmEstateStub([certificate(SHOP, 'eu-west-1', 1), certificate(PORTAL, 'us-east-1', 2)], {
      deniedRoles: [role(SHOP)],
    });
    const progress: EstateProgress[] = [];
    const report = await estateAgainst(stub, { progress })();
    expect(report.certificates.map((c) => c.accountName)).toEqual(['portal-prod']);
    expect(report.unlisted).toHaveLength(1);
    expect(report.unlisted[0]).toMatchObject({ accountId: SHOP, accountName: 'shop-prod', region: null });
    expect(report.unlisted[0]?.reason).toMatch(
      new RegExp(`^cannot assume ${role(SHOP)}: AccessDenied: .*not authorized to perform: sts:AssumeRole`),
    );
    expect(stub.calls.some((call) => call.startsWith(`ListCertificates ${SHOP}`))).toBe(false);
    // Progress: each account started and finished, the failure with it.
    const done = progress.filter((step) => step.kind === 'account-done');
    expect(done.map((step) => [step.accountName, step.problems.length])).toEqual(
      expect.arrayContaining([
        ['shop-prod', 1],
        ['portal-prod', 0],
        ['api-prod', 0],
      ]),
    );
    expect(progress.filter((step) => step.kind === 'account')).toHaveLength(3);
  });

  it('marks the certificates our pipeline has seen approval mail for, and says when the history is unread', async () => {
    const seen = certificate(SHOP, 'eu-west-1', 1);
    stub = await startAcmEstateStub([seen, certificate(SHOP, 'eu-west-1', 2)]);
    const history: ApprovalMailHistory = {
      seenMail: async () =>
        new Map([
          [
            seen.CertificateArn,
            { requests: 2, firstReceivedAt: '2026-10-01T00:00:00Z', lastReceivedAt: '2026-11-20T00:00:00Z' },
          ],
        ]),
    };
    const report = await estateAgainst(stub, { history })();
    expect(report.certificates.map((c) => c.seenMail?.lastReceivedAt ?? null)).toEqual(['2026-11-20T00:00:00Z', null]);
    expect(report.mailHistoryNote).toBeNull();

    const failing = await estateAgainst(stub, {
      history: { seenMail: async () => Promise.reject(new Error('AccessDeniedException: scan')) },
    })();
    expect(failing.certificates).toHaveLength(2);
    expect(failing.mailHistoryNote).toBe('the state table could not be read: AccessDeniedException: scan');
  });
});
