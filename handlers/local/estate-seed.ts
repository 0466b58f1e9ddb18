/**
 * The certificates the local run's ACM stub holds: a handful in the example configuration's accounts, of both
 * validation methods, some of them the certificates the fixtures' approval mail is about (so the report shows mail
 * seen for them), expiry dates relative to the run's start.
 */
import type { StubCertificate } from './acm-estate-stub.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export function exampleEstate(now: Date): StubCertificate[] {
  const inDays = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
  const alb = (account: string, name: string) =>
    `arn:aws:elasticloadbalancing:eu-west-1:${account}:loadbalancer/app/${name}/50dc6c495c0c9188`;
  return [
    // shop-prod: the certificates of the fixtures' mail, email-validated; one whose names are all in a known zone.
    {
      CertificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/51a593db-5648-4db7-a830-1a8c6c7786cb',
      DomainName: 'shop.example.com',
      SubjectAlternativeNames: ['shop.example.com', 'www.shop.example.com'],
      ValidationMethod: 'EMAIL',
      Status: 'ISSUED',
      NotAfter: inDays(74),
      InUseBy: [alb('184694211251', 'shop-web')],
    },
    {
      CertificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/975243f7-b501-4ee8-a0dc-69991761dbe0',
      DomainName: 'shop.example.net',
      ValidationMethod: 'EMAIL',
      Status: 'ISSUED',
      // Issued as the local run's ACM `Available` event says (fixtures/acm-events/available.json), about 13 months.
      NotAfter: inDays(388),
      InUseBy: [alb('184694211251', 'shop-net')],
    },
    {
      CertificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/0c1e2f4a-8d7b-4f3e-9a61-5b2c7d8e9f01',
      DomainName: 'api.shop.example.com',
      ValidationMethod: 'DNS',
      Status: 'ISSUED',
      KeyAlgorithm: 'EC_prime256v1',
      NotAfter: inDays(301),
      InUseBy: [alb('184694211251', 'shop-api')],
    },
    // portal-prod: CloudFront's certificates live in us-east-1.
    {
      CertificateArn: 'arn:aws:acm:us-east-1:133914839485:certificate/275f9ada-2565-4930-a4e3-c0a6a5472859',
      DomainName: 'portal.example.com',
      ValidationMethod: 'EMAIL',
      Status: 'ISSUED',
      NotAfter: inDays(20),
      InUseBy: ['arn:aws:cloudfront::133914839485:distribution/E2QWRUHEXAMPLE'],
      RenewalStatus: 'PENDING_VALIDATION',
    },
    {
      CertificateArn: 'arn:aws:acm:us-east-1:133914839485:certificate/7d3f1a2b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
      DomainName: 'old-portal.example.com',
      ValidationMethod: 'EMAIL',
      Status: 'ISSUED',
      NotAfter: inDays(30),
    },
    {
      CertificateArn: 'arn:aws:acm:eu-west-1:133914839485:certificate/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      DomainName: 'status.example.com',
      ValidationMethod: 'DNS',
      Status: 'ISSUED',
      NotAfter: inDays(200),
      InUseBy: [alb('133914839485', 'status')],
    },
    // data-test (routed to the data team by its account, Japanese digest): names in a DNS nobody here runs.
    {
      CertificateArn: 'arn:aws:acm:eu-west-1:788441577080:certificate/f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f',
      DomainName: '*.analytics.example.org',
      SubjectAlternativeNames: ['*.analytics.example.org', 'analytics.example.org'],
      ValidationMethod: 'EMAIL',
      Status: 'ISSUED',
      NotAfter: inDays(120),
      InUseBy: [alb('788441577080', 'analytics')],
    },
  ];
}
