/** The way off email validation: ready or not by the known hosted zones, the steps in order, the exact commands. */
import { describe, expect, it } from 'vitest';
import { migrationAdvice, shellWord, zoneFor } from '../../../handlers/core/estate/advice.js';
import type { EstateCertificate } from '../../../handlers/core/estate/certificate.js';
import { estateCertificateOf } from '../../../handlers/core/estate/certificate.js';
import { estateRegions, knownHostedZones } from '../../../handlers/core/estate/scope.js';
import { exampleConfiguration } from '../../support/configuration.js';

const NOW = new Date('2026-11-26T04:00:00Z');
const ZONES = [
  { id: 'Z0EXAMPLE1234567890AB', name: 'example.com' },
  { id: 'Z0SHOPZONE12345', name: 'shop.example.com' },
];
const ARN = 'arn:aws:acm:eu-west-1:184694211251:certificate/51a593db-5648-4db7-a830-1a8c6c7786cb';
const ALB = 'arn:aws:elasticloadbalancing:eu-west-1:184694211251:loadbalancer/app/shop-web/50dc6c495c0c9188';

function certificate(names: string[], over: Partial<EstateCertificate> = {}): EstateCertificate {
  return {
    ...estateCertificateOf(
      {
        CertificateArn: ARN,
        DomainName: names[0],
        SubjectAlternativeNames: names,
        DomainValidationOptions: names.map((name) => ({ DomainName: name, ValidationMethod: 'EMAIL' })),
        Status: 'ISSUED',
        NotAfter: '2027-02-08T00:00:00Z',
        InUseBy: [ALB],
      },
      { accountId: '184694211251', accountName: 'shop-prod', region: 'eu-west-1' },
    ),
    ...over,
  };
}

describe('zoneFor', () => {
  it('takes the longest known zone that is the name or a parent of it, on label boundaries', () => {
    expect(zoneFor('www.shop.example.com', ZONES)?.id).toBe('Z0SHOPZONE12345');
    expect(zoneFor('*.shop.example.com', ZONES)?.id).toBe('Z0SHOPZONE12345');
    expect(zoneFor('example.com', ZONES)?.id).toBe('Z0EXAMPLE1234567890AB');
    expect(zoneFor('badexample.com', ZONES)).toBeNull();
    expect(zoneFor('shop.example.net', ZONES)).toBeNull();
  });
});

describe('migrationAdvice', () => {
  it('is ready when every name is in a known zone, and gives the steps in order with exact commands', () => {
    const advice = migrationAdvice(
      certificate(['shop.example.com', '*.shop.example.com', 'www.example.com']),
      ZONES,
      NOW,
    );
    expect(advice.ready).toBe(true);
    expect(advice.externalNames).toEqual([]);
    expect(advice.steps.map((step) => step.title)).toEqual([
      'Request a DNS-validated certificate for the same names',
      'Add the validation CNAME records (a wildcard and its base name share one record)',
      'Wait for the new certificate to be issued',
      'Swap the new certificate into each resource that uses the old one (1)',
      'Delete the old certificate once nothing uses it (ACM refuses while anything does)',
    ]);
    const [request, records, wait, swap, remove] = advice.steps.map((step) => step.commands);
    expect(request).toContain(
      "NEW_ARN=$(aws acm request-certificate --region eu-west-1 --domain-name shop.example.com --subject-alternative-names '*.shop.example.com' www.example.com --validation-method DNS --idempotency-token 51a593db56484db7a8301a8c6c7786cb --query CertificateArn --output text)",
    );
    expect(request?.[0]).toBe(
      '# in account 184694211251 (shop-prod), region eu-west-1: with credentials for that account',
    );
    expect(records).toContain(
      `aws route53 change-resource-record-sets --hosted-zone-id Z0SHOPZONE12345 --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"<Name above>","Type":"CNAME","TTL":300,"ResourceRecords":[{"Value":"<Value above>"}]}}]}'`,
    );
    expect(records?.filter((line) => line.includes('--hosted-zone-id Z0EXAMPLE1234567890AB'))).toHaveLength(1);
    expect(records).toContain(
      `aws acm describe-certificate --region eu-west-1 --certificate-arn "$NEW_ARN" --query 'Certificate.DomainValidationOptions[?DomainName=='\\''*.shop.example.com'\\''].ResourceRecord'`,
    );
    expect(wait).toEqual(['aws acm wait certificate-validated --region eu-west-1 --certificate-arn "$NEW_ARN"']);
    expect(swap).toContain(
      `aws elbv2 modify-listener --region eu-west-1 --listener-arn LISTENER_ARN --certificates CertificateArn="$NEW_ARN"  # the default one`,
    );
    // Never a delete before the check that nothing uses it.
    expect(remove).toEqual([
      `aws acm describe-certificate --region eu-west-1 --certificate-arn ${ARN} --query Certificate.InUseBy  # must print []`,
      `aws acm delete-certificate --region eu-west-1 --certificate-arn ${ARN}`,
    ]);
    expect(advice.unusedAndExpiringSoon).toBe(false);
  });

  it('is not ready when a name is outside the known zones, and says where its CNAME goes', () => {
    const advice = migrationAdvice(certificate(['shop.example.com', 'shop.example.net']), ZONES, NOW);
    expect(advice.ready).toBe(false);
    expect(advice.externalNames).toEqual(['shop.example.net']);
    expect(advice.names).toEqual([
      { name: 'shop.example.com', zone: ZONES[1] },
      { name: 'shop.example.net', zone: null },
    ]);
    const records = advice.steps[1]?.commands ?? [];
    expect(records).toContain(
      '# shop.example.net is in no Route 53 hosted zone this configuration knows: add the CNAME above (Name -> Value) in the DNS that serves shop.example.net',
    );
    expect(records.filter((line) => line.startsWith('aws route53'))).toHaveLength(1);
  });

  it('calls out a certificate nobody uses that expires within 45 days, and swaps nothing', () => {
    const advice = migrationAdvice(
      certificate(['old-portal.example.com'], { inUseBy: [], notAfter: '2026-12-26T04:00:00.000Z' }),
      ZONES,
      NOW,
    );
    expect(advice.daysToExpiry).toBe(30);
    expect(advice.unusedAndExpiringSoon).toBe(true);
    expect(advice.steps[3]).toEqual({ title: 'Nothing uses the old certificate: no swap is needed', commands: [] });
    // In use, or further out: not called out.
    expect(
      migrationAdvice(certificate(['a.example.com'], { notAfter: '2026-12-26T04:00:00.000Z' }), ZONES, NOW)
        .unusedAndExpiringSoon,
    ).toBe(false);
    expect(
      migrationAdvice(certificate(['a.example.com'], { inUseBy: [], notAfter: '2027-02-26T04:00:00.000Z' }), ZONES, NOW)
        .unusedAndExpiringSoon,
    ).toBe(false);
  });

  it('swaps a CloudFront distribution with its own ETag, and names any other resource', () => {
    const advice = migrationAdvice(
      certificate(['portal.example.com'], {
        region: 'us-east-1',
        inUseBy: [
          'arn:aws:cloudfront::133914839485:distribution/E2QWRUHEXAMPLE',
          'arn:aws:apigateway:us-east-1::/domainnames/portal.example.com',
        ],
      }),
      ZONES,
      NOW,
    );
    expect(advice.steps[3]?.commands).toEqual([
      '# arn:aws:cloudfront::133914839485:distribution/E2QWRUHEXAMPLE: CloudFront takes the whole configuration back, with the ETag it was read with',
      'aws cloudfront get-distribution-config --id E2QWRUHEXAMPLE --output json > cloudfront-E2QWRUHEXAMPLE.json',
      `jq --arg arn "$NEW_ARN" '.DistributionConfig | .ViewerCertificate.ACMCertificateArn = $arn | .ViewerCertificate.Certificate = $arn' cloudfront-E2QWRUHEXAMPLE.json > cloudfront-E2QWRUHEXAMPLE-new.json`,
      'aws cloudfront update-distribution --id E2QWRUHEXAMPLE --if-match "$(jq -r .ETag cloudfront-E2QWRUHEXAMPLE.json)" --distribution-config file://cloudfront-E2QWRUHEXAMPLE-new.json',
      `# arn:aws:apigateway:us-east-1::/domainnames/portal.example.com: replace ${ARN} with $NEW_ARN in this resource (its console, or the template or code that made it)`,
    ]);
  });
});

describe('shellWord', () => {
  it('quotes what a shell would expand or split, and a quote inside', () => {
    expect(shellWord('shop.example.com')).toBe('shop.example.com');
    expect(shellWord('*.example.com')).toBe("'*.example.com'");
    expect(shellWord("a'b; rm -rf /")).toBe(`'a'\\''b; rm -rf /'`);
    expect(shellWord('$(id)')).toBe("'$(id)'");
  });
});

describe('the estate scope from the configuration', () => {
  it('lists the configured region and us-east-1 by default, and the validation domains hosted zones', () => {
    const configuration = exampleConfiguration();
    expect(estateRegions(configuration)).toEqual(['eu-west-1', 'us-east-1']);
    expect(
      estateRegions({
        ...configuration,
        estate: { ...configuration.estate, regions: ['us-east-1', 'us-east-1', 'ap-northeast-1'] },
      }),
    ).toEqual(['us-east-1', 'ap-northeast-1']);
    expect(knownHostedZones(configuration)).toEqual([{ id: 'Z0EXAMPLE1234567890AB', name: 'example.com' }]);
    expect(
      knownHostedZones({
        ...configuration,
        estate: {
          readerRoleArns: [],
          hostedZones: [
            { id: 'Z0EXAMPLE1234567890AB', name: 'example.com' },
            { id: 'Z9ORG', name: 'Example.org' },
          ],
        },
      }),
    ).toEqual([
      { id: 'Z0EXAMPLE1234567890AB', name: 'example.com' },
      { id: 'Z9ORG', name: 'example.org' },
    ]);
  });
});
