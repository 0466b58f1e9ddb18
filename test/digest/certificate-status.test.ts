/** The digest's optional status check: ACM's answer through a read-only role, with a client mock and an HTTP stub. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acmStatusChecker } from '../../handlers/adapters/acm-status-checker.js';
import { certificateStatusOf } from '../../handlers/core/digest/certificate-status.js';
import type { DigestRequest } from '../../handlers/core/state.js';

const ROLE = 'arn:aws:iam::184694211251:role/acm-status-read';
const request = (over: Partial<DigestRequest> = {}): DigestRequest => ({
  key: 'k',
  domain: 'shop.example.com',
  accountId: '184694211251',
  region: 'eu-west-1',
  certificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/abc',
  owner: 'web-shop',
  renewal: false,
  trust: 'trusted',
  firstReceivedAt: '2026-11-23T08:00:00.000Z',
  approvalDeadline: '2026-11-26T08:00:00.000Z',
  addresses: [],
  certificateExpiresAt: null,
  ticketSubject: null,
  ticketMessageId: null,
  links: [],
  ...over,
});

describe('certificateStatusOf', () => {
  it.each([
    [{ Status: 'ISSUED' }, false, 'issued'],
    [{ Status: 'PENDING_VALIDATION' }, false, 'pending'],
    [{ Status: 'VALIDATION_TIMED_OUT' }, false, 'failed'],
    [{ Status: 'ISSUED', RenewalSummary: { RenewalStatus: 'PENDING_VALIDATION' } }, true, 'pending'],
    [{ Status: 'ISSUED', RenewalSummary: { RenewalStatus: 'SUCCESS' } }, true, 'issued'],
    [{ Status: 'ISSUED' }, true, 'unknown'],
    [{}, false, 'unknown'],
  ] as const)('%j (renewal %s) is %s', (certificate, renewal, status) => {
    expect(certificateStatusOf(certificate, renewal)).toBe(status);
  });
});

describe('acmStatusChecker with client mocks', () => {
  // The mocks patch every client of the class, so they exist only while this block's tests run: the HTTP stub's
  // tests below need the real clients, whatever the order.
  let sts: AwsClientStub<STSClient>;
  let acm: AwsClientStub<ACMClient>;
  beforeAll(() => {
    sts = mockClient(STSClient);
    acm = mockClient(ACMClient);
  });
  afterEach(() => {
    sts.reset();
    acm.reset();
  });
  afterAll(() => {
    sts.restore();
    acm.restore();
  });

  it('assumes the account role once and reads the certificate in its region', async () => {
    sts.on(AssumeRoleCommand, { RoleArn: ROLE }).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(),
      },
    });
    acm
      .on(DescribeCertificateCommand, { CertificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/abc' })
      .resolves({ Certificate: { Status: 'ISSUED' } })
      .on(DescribeCertificateCommand, { CertificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/renew' })
      .resolves({
        Certificate: { Status: 'ISSUED', RenewalSummary: { RenewalStatus: 'PENDING_VALIDATION' } as never },
      });
    const regions: string[] = [];
    const checker = acmStatusChecker({
      sts: new STSClient({ region: 'eu-west-1' }),
      roles: new Map([['184694211251', ROLE]]),
      acmClient: async (region, credentials) => {
        regions.push(region);
        return new ACMClient({ region, credentials });
      },
    });
    expect(await checker.statusOf(request())).toBe('issued');
    expect(
      await checker.statusOf(
        request({ renewal: true, certificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/renew' }),
      ),
    ).toBe('pending');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(regions).toEqual(['eu-west-1', 'eu-west-1']);
  });

  it('says unknown without a role, and when AssumeRole or ACM fails, naming the error', async () => {
    sts.on(AssumeRoleCommand).rejects(new Error('AccessDenied: not authorized to perform sts:AssumeRole'));
    const errors: string[] = [];
    const checker = acmStatusChecker({
      sts: new STSClient({ region: 'eu-west-1' }),
      roles: new Map([['184694211251', ROLE]]),
      acmClient: async (region, credentials) => new ACMClient({ region, credentials }),
      onError: (_request, error) => errors.push(String(error)),
    });
    expect(await checker.statusOf(request({ accountId: '999999999999' }))).toBe('unknown');
    expect(await checker.statusOf(request())).toBe('unknown');
    expect(errors).toEqual(['Error: AccessDenied: not authorized to perform sts:AssumeRole']);
    expect(acm.commandCalls(DescribeCertificateCommand)).toHaveLength(0);
  });
});

describe('acmStatusChecker against a local HTTP stub of STS and ACM', () => {
  const seen: { target: string; body: string; authorization: string }[] = [];
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const target = String(
          req.headers['x-amz-target'] ?? (body.includes('Action=AssumeRole') ? 'STS.AssumeRole' : ''),
        );
        seen.push({ target, body, authorization: String(req.headers.authorization ?? '') });
        if (target === 'STS.AssumeRole') {
          res.setHeader('content-type', 'text/xml');
          res.end(
            '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>' +
              '<AccessKeyId>ASIASTUBKEY</AccessKeyId><SecretAccessKey>stub-secret</SecretAccessKey>' +
              '<SessionToken>stub-token</SessionToken><Expiration>2026-11-23T10:00:00Z</Expiration></Credentials>' +
              '</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>',
          );
        } else if (target === 'CertificateManager.DescribeCertificate') {
          res.setHeader('content-type', 'application/x-amz-json-1.1');
          res.end(
            JSON.stringify({
              Certificate: { CertificateArn: JSON.parse(body).CertificateArn, Status: 'PENDING_VALIDATION' },
            }),
          );
        } else {
          res.statusCode = 400;
          res.end('{}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('signs DescribeCertificate with the assumed role credentials and maps the answer', async () => {
    const checker = acmStatusChecker({
      sts: new STSClient({
        region: 'eu-west-1',
        endpoint,
        credentials: { accessKeyId: 'AKIADIGEST', secretAccessKey: 'x' },
      }),
      roles: new Map([['184694211251', ROLE]]),
      acmClient: async (region, credentials) => new ACMClient({ region, endpoint, credentials }),
    });
    expect(await checker.statusOf(request())).toBe('pending');
    const [assume, describe_] = seen;
    expect(assume?.target).toBe('STS.AssumeRole');
    expect(decodeURIComponent(assume?.body ?? '')).toContain(`RoleArn=${ROLE}`);
    expect(assume?.authorization).toContain('Credential=AKIADIGEST/');
    expect(describe_?.target).toBe('CertificateManager.DescribeCertificate');
    expect(JSON.parse(describe_?.body ?? '{}')).toEqual({
      CertificateArn: 'arn:aws:acm:eu-west-1:184694211251:certificate/abc',
    });
    expect(describe_?.authorization).toContain('Credential=ASIASTUBKEY/');
  });
});
