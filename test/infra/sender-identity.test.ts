/** The sender domain's SES identity (optional `senderIdentity`): Easy DKIM, custom MAIL FROM, DMARC. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { exampleWith } from '../support/configuration.js';
import { resourcesOf, synthesiseOnce } from '../support/infra.js';

const withZone = exampleWith((c) => {
  c.senderIdentity = {
    hostedZone: { id: 'Z0EXAMPLE0NOTIFY00001', name: 'example.org' },
    dmarc: { policy: 'quarantine', reportsTo: 'dmarc-reports@example.org' },
  };
});
const withoutZone = exampleWith((c) => {
  c.senderIdentity = { mailFromSubdomain: 'mail-from' };
});

describe('without senderIdentity', () => {
  const { template } = synthesiseOnce();
  it('creates no identity for the sender domain (the example leaves it to whoever runs that domain)', () => {
    const identities = Object.values(resourcesOf(template, 'AWS::SES::EmailIdentity'));
    expect(identities.map((identity) => identity.Properties.EmailIdentity)).not.toContain('notify.example.org');
  });
});

describe('senderIdentity with a hosted zone', () => {
  const { template } = synthesiseOnce(withZone);

  it('creates the identity with Easy DKIM and a MAIL FROM subdomain that falls back to SES when its MX is missing', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'notify.example.org',
      MailFromAttributes: { MailFromDomain: 'bounce.notify.example.org', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
  });

  it('writes the three DKIM CNAMEs, the MAIL FROM MX and SPF, and the DMARC record asked for, in the zone', () => {
    const records = Object.values(resourcesOf(template, 'AWS::Route53::RecordSet')).filter(
      (record) => record.Properties.HostedZoneId === 'Z0EXAMPLE0NOTIFY00001',
    );
    expect(records.filter((record) => record.Properties.Type === 'CNAME')).toHaveLength(3);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0EXAMPLE0NOTIFY00001',
      Name: 'bounce.notify.example.org.',
      Type: 'MX',
      ResourceRecords: ['10 feedback-smtp.eu-west-1.amazonses.com'],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0EXAMPLE0NOTIFY00001',
      Name: 'bounce.notify.example.org.',
      Type: 'TXT',
      ResourceRecords: ['"v=spf1 include:amazonses.com ~all"'],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0EXAMPLE0NOTIFY00001',
      Name: '_dmarc.notify.example.org.',
      Type: 'TXT',
      ResourceRecords: ['"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@example.org"'],
    });
    expect(Object.keys(template.findOutputs('*')).filter((id) => id.startsWith('Sender'))).toEqual([]);
  });
});

describe('senderIdentity without a hosted zone', () => {
  const { template } = synthesiseOnce(withoutZone);

  it('outputs every record to add by hand, DMARC as a recommendation, and writes no record', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'notify.example.org',
      MailFromAttributes: Match.objectLike({ MailFromDomain: 'mail-from.notify.example.org' }),
    });
    const outputs = template.findOutputs('*');
    expect(
      Object.keys(outputs)
        .filter((id) => id.startsWith('Sender'))
        .sort(),
    ).toEqual([
      'SenderDkimRecord1',
      'SenderDkimRecord2',
      'SenderDkimRecord3',
      'SenderDmarcRecord',
      'SenderMailFromMxRecord',
      'SenderMailFromSpfRecord',
    ]);
    expect(outputs.SenderMailFromMxRecord?.Value).toBe(
      'mail-from.notify.example.org. MX 10 feedback-smtp.eu-west-1.amazonses.com',
    );
    expect(outputs.SenderMailFromSpfRecord?.Value).toBe(
      'mail-from.notify.example.org. TXT "v=spf1 include:amazonses.com ~all"',
    );
    expect(outputs.SenderDmarcRecord?.Value).toBe('_dmarc.notify.example.org. TXT "v=DMARC1; p=none"');
    const senderRecords = Object.values(resourcesOf(template, 'AWS::Route53::RecordSet')).filter((record) =>
      String(record.Properties.Name).includes('notify.example.org'),
    );
    expect(senderRecords).toEqual([]);
  });
});
