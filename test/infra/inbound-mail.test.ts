import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { exampleWith } from '../support/configuration.js';
import { arnOf, logicalId, receiptRuleArnInTemplate, resourcesOf, synthesiseOnce } from '../support/infra.js';

/** The function permissions SES holds (the router's, per receipt rule). */
const sesPermissions = (t: { findResources: (type: string, props?: unknown) => Record<string, unknown> }) =>
  t.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'ses.amazonaws.com' } });

const FIVE = ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'];
const ruleArn = (rule: string) => receiptRuleArnInTemplate(rule);

describe('receipt rules', () => {
  const { stack, template } = synthesiseOnce();
  const pipeline = stack.pipeline;

  it('list exactly the five mailboxes of each SES-receiving domain, then the extra addresses', () => {
    const rules = Object.values(resourcesOf(template, 'AWS::SES::ReceiptRule'));
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.Rule.Recipients).toEqual([
      ...FIVE.map((box) => `${box}@acm-mail.example.com`),
      ...FIVE.map((box) => `${box}@example.net`),
      'acm-forwarded@acm-mail.example.com',
    ]);
  });

  it('store the raw mail under inbound/ first, then invoke the router asynchronously; TLS required, scanning on', () => {
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      RuleSetName: { Ref: logicalId(stack, pipeline.inbound.ruleSet) },
      Rule: {
        Name: 'AcmValidationMail-acm-mail-1',
        Enabled: true,
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [
          { S3Action: { BucketName: { Ref: logicalId(stack, pipeline.archive.bucket) }, ObjectKeyPrefix: 'inbound/' } },
          { LambdaAction: { FunctionArn: arnOf(logicalId(stack, pipeline.router.function)), InvocationType: 'Event' } },
        ],
      },
    });
  });

  it('are created only after SES may write the bucket and invoke the router (SES checks both)', () => {
    const [rule] = Object.values(resourcesOf(template, 'AWS::SES::ReceiptRule'));
    const [permission] = Object.keys(sesPermissions(template));
    expect(rule.DependsOn).toEqual(
      expect.arrayContaining([logicalId(stack, pipeline.archive.bucket.policy ?? pipeline.archive.bucket), permission]),
    );
  });

  it('let SES invoke the router only for our rule in our account', () => {
    // The other function permission is the central bus's, for the events handler (test/infra/acm-events.test.ts).
    expect(Object.keys(sesPermissions(template))).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'ses.amazonaws.com',
      FunctionName: arnOf(logicalId(stack, pipeline.router.function)),
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: ruleArn('AcmValidationMail-acm-mail-1'),
    });
  });

  const many = Array.from({ length: 25 }, (_, n) => ({ name: `d${n}.example.org` }));
  const { template: big } = synthesiseOnce(
    exampleWith((c) => {
      c.validationDomains.push(...many);
    }),
  );

  it('split past 100 recipients into chained rules, each allowed in the bucket policy and the function policy', () => {
    const rules = Object.entries(resourcesOf(big, 'AWS::SES::ReceiptRule'));
    expect(rules.map(([, r]) => r.Properties.Rule.Recipients.length)).toEqual([100, 36]);
    const [[firstId, first], [, second]] = rules as [
      [string, { Properties: { Rule: { Name: string } } }],
      [string, { Properties: { After: unknown; Rule: { Actions: unknown } } }],
    ];
    expect(second.Properties.After).toEqual({ Ref: firstId });
    expect(second.Properties.Rule.Actions).toHaveLength(2);
    expect(first.Properties.Rule.Name).toBe('AcmValidationMail-acm-mail-1');
    big.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Condition: Match.objectLike({
              ArnEquals: {
                'aws:SourceArn': [ruleArn('AcmValidationMail-acm-mail-1'), ruleArn('AcmValidationMail-acm-mail-2')],
              },
            }),
          }),
        ]),
      },
    });
    expect(Object.keys(sesPermissions(big))).toHaveLength(2);
  });
});

describe('rule set', () => {
  const { stack, template } = synthesiseOnce();

  it('in create mode: a new set, activated by the custom resource once the rules exist', () => {
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'acm-validation-mail' });
    const activation = stack.pipeline.inbound.activation;
    expect(activation).toBeDefined();
    template.hasResource('Custom::SesActiveReceiptRuleSet', {
      Properties: {
        ServiceToken: arnOf(logicalId(stack, stack.pipeline.inbound.activationFunction?.function ?? stack)),
        RuleSetName: 'acm-validation-mail',
        TakeOver: 'false',
      },
      DependsOn: [logicalId(stack, stack.pipeline.inbound.rules[0] ?? stack)],
    });
  });

  const { template: takingOver } = synthesiseOnce(
    exampleWith((c) => {
      c.ruleSet.takeOver = true;
    }),
  );

  it('passes takeOver through only when the configuration says so', () => {
    takingOver.hasResourceProperties('Custom::SesActiveReceiptRuleSet', { TakeOver: 'true' });
  });

  const { template: existing } = synthesiseOnce(
    exampleWith((c) => {
      c.ruleSet = { mode: 'existing', name: 'corporate-inbound', after: 'spam-filter' };
    }),
  );

  it('in existing mode: our rule goes into the named set after the named rule, and nothing is activated', () => {
    existing.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    existing.resourceCountIs('Custom::SesActiveReceiptRuleSet', 0);
    existing.hasResourceProperties('AWS::SES::ReceiptRule', {
      RuleSetName: 'corporate-inbound',
      After: 'spam-filter',
    });
    existing.hasResourceProperties('AWS::Lambda::Permission', {
      SourceArn: {
        'Fn::Join': [
          '',
          Match.arrayWith([':receipt-rule-set/corporate-inbound:receipt-rule/AcmValidationMail-acm-mail-1']),
        ],
      },
    });
  });
});

describe('identities and DNS', () => {
  const { stack, template } = synthesiseOnce();

  it('creates an identity per SES-receiving domain, none for a forwarded one', () => {
    const identities = Object.values(resourcesOf(template, 'AWS::SES::EmailIdentity'));
    expect(identities.map((identity) => identity.Properties.EmailIdentity)).toEqual([
      'acm-mail.example.com',
      'example.net',
    ]);
  });

  it('writes the MX record and the three DKIM CNAMEs into the given hosted zone', () => {
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0EXAMPLE1234567890AB',
      Name: 'acm-mail.example.com.',
      Type: 'MX',
      ResourceRecords: ['10 inbound-smtp.eu-west-1.amazonaws.com'],
    });
    const identity = logicalId(stack, stack.pipeline.inbound.identities[0] ?? stack);
    for (const n of [1, 2, 3]) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        HostedZoneId: 'Z0EXAMPLE1234567890AB',
        Type: 'CNAME',
        Name: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [identity, `DkimDNSTokenName${n}`] }, '.']] },
        ResourceRecords: [{ 'Fn::GetAtt': [identity, `DkimDNSTokenValue${n}`] }],
      });
    }
    template.resourceCountIs('AWS::Route53::RecordSet', 4);
  });

  it('outputs the exact records to add by hand for a domain without a hosted zone', () => {
    template.hasOutput('MxRecordExampleNet', { Value: 'example.net. MX 10 inbound-smtp.eu-west-1.amazonaws.com' });
    for (const n of [1, 2, 3]) template.hasOutput(`DkimRecord${n}ExampleNet`, {});
  });

  const { template: existingIdentity } = synthesiseOnce(
    exampleWith((c) => {
      c.validationDomains[1].identity = 'existing';
    }),
  );

  it('adds only the MX record for a domain whose identity already exists', () => {
    existingIdentity.resourceCountIs('AWS::SES::EmailIdentity', 1);
    existingIdentity.resourceCountIs('AWS::Route53::RecordSet', 1);
    existingIdentity.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'MX', Name: 'acm-mail.example.com.' });
  });
});
