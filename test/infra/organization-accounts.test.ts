/** The stack when the configuration reads our accounts from AWS Organizations: the permissions, and the alarm. */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { exampleWith } from '../support/configuration.js';
import { resourcesOf, synthesise, synthesiseOnce } from '../support/infra.js';

const ROLE = 'arn:aws:iam::111111111111:role/acm-mail-list-accounts';
const readingOrganization = (organization: object) =>
  exampleWith((c) => {
    // Without the example's status roles, whose grant would join the Organizations role's in one statement.
    c.accounts = {
      fromOrganization: organization,
      list: c.accounts.slice(0, 2).map(({ id, name }: { id: string; name: string }) => ({ id, name })),
    };
  });

/** Every IAM statement in the template with one of these actions. */
function statementsWith(template: Template, action: string) {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement: { Action: string | string[] }) => [statement.Action].flat().includes(action));
}

describe('accounts from AWS Organizations, in the stack', () => {
  it('through a role: the router and digest may assume that role and nothing in Organizations', () => {
    const { template } = synthesiseOnce(readingOrganization({ roleArn: ROLE }));
    const assume = statementsWith(template, 'sts:AssumeRole').filter((s: { Resource: unknown }) => s.Resource === ROLE);
    expect(assume).toHaveLength(2);
    expect(JSON.stringify(resourcesOf(template, 'AWS::IAM::Policy'))).not.toContain('organizations:');
  });

  it('without a role: the router and digest may list accounts and units, read-only, and nothing more', () => {
    const { template } = synthesiseOnce(readingOrganization({ ous: ['ou-ab12-prod0001'] }));
    const listing = statementsWith(template, 'organizations:ListAccounts');
    expect(listing).toHaveLength(2);
    for (const statement of listing) {
      expect(statement).toEqual({
        Effect: 'Allow',
        Action: [
          'organizations:ListAccounts',
          'organizations:ListAccountsForParent',
          'organizations:ListOrganizationalUnitsForParent',
        ],
        Resource: '*',
      });
    }
  });

  it('alarms when Organizations cannot be read, and only when the configuration reads it', () => {
    const { template } = synthesiseOnce(readingOrganization({}));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OrganizationsLookupFailed',
      Namespace: 'AcmValidationMail/AcmValidationMail',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [Match.anyValue()],
    });
    const plain = synthesiseOnce().template;
    expect(JSON.stringify(resourcesOf(plain, 'AWS::CloudWatch::Alarm'))).not.toContain('OrganizationsLookupFailed');
    expect(JSON.stringify(resourcesOf(plain, 'AWS::IAM::Policy'))).not.toContain('organizations:');
  });

  it('passes cdk-nag AwsSolutions, the "*" of the listing acknowledged with its reason', () => {
    const { app } = synthesise(readingOrganization({}), { nag: true });
    expect(() => app.synth()).not.toThrow();
  }, 120_000);
});
