import { describe, expect, it } from 'vitest';
import {
  certificateArn,
  normaliseAccountId,
  normaliseDomain,
  parseCertificateIdentifier,
  parseExpiry,
} from '../../handlers/core/normalise.js';

describe('parseExpiry', () => {
  it.each([
    ['Dec 12, 2024 at 23:59:59 UTC', '2024-12-12T23:59:59.000Z'],
    ['Nov 4, 2017 at 12:00:00 UTC', '2017-11-04T12:00:00.000Z'],
    ['Thu, 12 Dec 2024 23:59:59 +0000', '2024-12-12T23:59:59.000Z'],
    ['12 Dec 2024 18:59:59 -0500', '2024-12-12T23:59:59.000Z'],
    ['Thu, 12 Dec 2024 23:59:59 GMT', '2024-12-12T23:59:59.000Z'],
    ['2024-12-12T23:59:59Z', '2024-12-12T23:59:59.000Z'],
    ['2024-12-13T01:59:59+02:00', '2024-12-12T23:59:59.000Z'],
  ])('reads %s', (value, iso) => {
    expect(parseExpiry(value)).toBe(iso);
  });

  it.each([
    'Feb 30, 2024 at 12:00:00 UTC',
    'Dec 12, 2024 at 25:00:00 UTC',
    'next week',
    '',
    '12/12/2024',
    'Foo 12, 2024 at 12:00:00 UTC',
  ])('refuses %j', (value) => {
    expect(parseExpiry(value)).toBeNull();
  });
});

describe('normaliseDomain', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['*.example.org', '*.example.org'],
    ['xn--mnchen-3ya.example', 'xn--mnchen-3ya.example'],
    ['www.example.com.', 'www.example.com'],
  ])('%s -> %s', (value, domain) => {
    expect(normaliseDomain(value)).toBe(domain);
  });

  it.each([
    'localhost',
    'exa mple.com',
    '-bad.example.com',
    'bad-.example.com',
    '*.*.example.com',
    'a..b.com',
    '10.0.0.1',
    'münchen.example',
    `${'a'.repeat(64)}.com`,
    'x_y.example.com',
  ])('refuses %j', (value) => {
    expect(normaliseDomain(value)).toBeNull();
  });
});

describe('account ids and identifiers', () => {
  it('removes the dashes of the pre-2020 account form', () => {
    expect(normaliseAccountId('7884-4157-7080')).toBe('788441577080');
    expect(normaliseAccountId('788441577080')).toBe('788441577080');
    expect(normaliseAccountId('7884-41577080')).toBeNull();
    expect(normaliseAccountId('78844157708')).toBeNull();
  });

  it('reads an ARN identifier and a bare UUID', () => {
    expect(parseCertificateIdentifier('7E0D5227-BE84-42AD-91D5-3899DB9B16AC')).toEqual({
      form: 'uuid',
      certificateId: '7e0d5227-be84-42ad-91d5-3899db9b16ac',
    });
    expect(
      parseCertificateIdentifier(
        'arn:aws-cn:acm:cn-north-1:123456789012:certificate/7e0d5227-be84-42ad-91d5-3899db9b16ac',
      ),
    ).toMatchObject({
      form: 'arn',
      partition: 'aws-cn',
      region: 'cn-north-1',
      accountId: '123456789012',
    });
    expect(parseCertificateIdentifier('arn:aws:iam::123456789012:role/x')).toBeNull();
  });

  it("builds ARNs in the region's partition", () => {
    const id = '7e0d5227-be84-42ad-91d5-3899db9b16ac';
    expect(certificateArn('cn-northwest-1', '123456789012', id)).toBe(
      `arn:aws-cn:acm:cn-northwest-1:123456789012:certificate/${id}`,
    );
    expect(certificateArn('us-gov-east-1', '123456789012', id)).toBe(
      `arn:aws-us-gov:acm:us-gov-east-1:123456789012:certificate/${id}`,
    );
    expect(certificateArn('eu-west-1', '123456789012', id)).toBe(
      `arn:aws:acm:eu-west-1:123456789012:certificate/${id}`,
    );
  });
});
