/**
 * `events.apiDestination`: the connection, the API destination, the rule on the central bus, its role, retries and
 * dead-letter queue, as synthesised; cdk-nag clean; and nothing of it without the setting.
 */
import { describe, expect, it } from 'vitest';
import { type ConfigurationError, parseConfiguration } from '../../handlers/core/configuration/index.js';
import { exampleJson, exampleWith } from '../support/configuration.js';
import { arnOf, logicalId, resourcesOf, synthesise, synthesiseOnce } from '../support/infra.js';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:184694211251:secret:acm-mail/zendesk-token-AbC123';

const zendesk = exampleWith((c) => {
  c.events = {
    apiDestination: {
      endpoint: 'https://example.zendesk.com/api/v2/tickets.json',
      authorization: { type: 'basic', username: 'acm-mail@example.org/token', secretArn: SECRET },
      detailTypes: ['ACM Approval Requested', 'ACM Approval Security Alert'],
      rateLimitPerSecond: 2,
      body: 'zendesk-ticket',
    },
  };
});

describe('the API destination of the product events', () => {
  const { stack, template } = synthesiseOnce(zendesk);
  const api = stack.pipeline.apiDestination;
  if (api === undefined) throw new Error('no API destination synthesised');
  const id = (construct: Parameters<typeof logicalId>[1]) => logicalId(stack, construct);
  // The L2 connection and destination name their resource after themselves, not `Resource`: found by type instead.
  const only = (type: string) => {
    const ids = Object.keys(resourcesOf(template, type));
    expect(ids).toHaveLength(1);
    return ids[0] as string;
  };

  it("has a connection whose credential is a dynamic reference to the user's secret, never its value", () => {
    const [connection, ...others] = Object.values(resourcesOf(template, 'AWS::Events::Connection'));
    expect(others).toEqual([]);
    expect(connection.Properties.AuthorizationType).toBe('BASIC');
    expect(connection.Properties.AuthParameters.BasicAuthParameters).toEqual({
      Username: 'acm-mail@example.org/token',
      Password: `{{resolve:secretsmanager:${SECRET}:SecretString:password::}}`,
    });
  });

  it('sends to the configured endpoint with the configured method and rate', () => {
    template.hasResourceProperties('AWS::Events::ApiDestination', {
      ConnectionArn: arnOf(only('AWS::Events::Connection')),
      InvocationEndpoint: 'https://example.zendesk.com/api/v2/tickets.json',
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 2,
    });
  });

  it('has a rule on the central bus for our source and the chosen detail-types only', () => {
    const rule = resourcesOf(template, 'AWS::Events::Rule')[id(api.rule)];
    expect(rule.Properties.EventBusName).toEqual({ Ref: id(stack.pipeline.eventBus.bus) });
    expect(rule.Properties.EventPattern).toEqual({
      source: ['acm-validation-mail'],
      'detail-type': ['ACM Approval Requested', 'ACM Approval Security Alert'],
    });
  });

  it('targets the destination with a role, retries for a day, then the dead-letter queue, and a ticket body', () => {
    const [target, ...others] = resourcesOf(template, 'AWS::Events::Rule')[id(api.rule)].Properties.Targets;
    expect(others).toEqual([]);
    expect(target.Arn).toEqual(arnOf(only('AWS::Events::ApiDestination')));
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 24, MaximumEventAgeInSeconds: 86400 });
    expect(target.DeadLetterConfig).toEqual({ Arn: arnOf(id(api.deadLetterQueue)) });
    const { InputPathsMap: paths, InputTemplate: body } = target.InputTransformer;
    expect(paths).toMatchObject({ 'detail-type': '$.detail-type', 'detail-outcomeKey': '$.detail.outcomeKey' });
    expect(Object.values(paths)).not.toContain('$.detail.approvalLink');
    const ticket = JSON.parse(
      (body as string)
        .replaceAll(/:<([\w-]+)>/g, (_match, name: string) => `:"value-of-${name}"`)
        .replaceAll(/<([\w-]+)>/g, (_match, name: string) => `value-of-${name}`),
    ) as { ticket: Record<string, unknown> };
    // A placeholder that is a whole value stands for the field's JSON value (EventBridge quotes a string itself).
    expect(body).toContain('"external_id":<detail-outcomeKey>');
    expect(ticket.ticket).toMatchObject({
      subject: 'value-of-detail-type: value-of-detail-domain',
      tags: ['acm-validation-mail'],
    });
  });

  it("gives the target's role exactly events:InvokeApiDestination on that destination, assumed by EventBridge only", () => {
    const [target] = resourcesOf(template, 'AWS::Events::Rule')[id(api.rule)].Properties.Targets;
    const roleId = target.RoleArn['Fn::GetAtt'][0];
    const role = resourcesOf(template, 'AWS::IAM::Role')[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
      policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId),
    );
    expect(policies.map((policy) => policy.Properties.PolicyDocument.Statement)).toEqual([
      [
        {
          Action: 'events:InvokeApiDestination',
          Effect: 'Allow',
          Resource: arnOf(only('AWS::Events::ApiDestination')),
        },
      ],
    ]);
  });

  it('lets only this rule send to the dead-letter queue, which is encrypted, TLS-only and alarmed', () => {
    const queue = resourcesOf(template, 'AWS::SQS::Queue')[id(api.deadLetterQueue)];
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const [policy] = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).filter((p) =>
      p.Properties.Queues.some((q: { Ref: string }) => q.Ref === id(api.deadLetterQueue)),
    );
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allowed = statements.filter((statement: { Effect: string }) => statement.Effect === 'Allow');
    expect(allowed).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': arnOf(id(api.rule)) } },
        Principal: { Service: 'events.amazonaws.com' },
        Resource: arnOf(id(api.deadLetterQueue)),
      }),
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(api.deadLetterQueue), 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [{ Ref: id(stack.pipeline.topics.alerts) }],
    });
  });

  it('an API key connection puts the key in the named header, from the named JSON key of the secret', () => {
    const { template: keyed } = synthesiseOnce(
      exampleWith((c) => {
        c.events = {
          apiDestination: {
            endpoint: 'https://tickets.example.org/api/events',
            authorization: { type: 'apiKey', headerName: 'X-Api-Key', secretArn: SECRET, secretField: 'key' },
          },
        };
      }),
    );
    const [connection] = Object.values(resourcesOf(keyed, 'AWS::Events::Connection'));
    expect(connection.Properties.AuthParameters.ApiKeyAuthParameters).toEqual({
      ApiKeyName: 'X-Api-Key',
      ApiKeyValue: `{{resolve:secretsmanager:${SECRET}:SecretString:key::}}`,
    });
    const [rule] = Object.values(resourcesOf(keyed, 'AWS::Events::Rule')).filter(
      (r) => r.Properties.EventPattern?.source?.[0] === 'acm-validation-mail',
    );
    // Every detail-type by default, and the whole event as the body.
    expect(rule.Properties.EventPattern['detail-type']).toEqual([
      'ACM Approval Requested',
      'ACM Approval Security Alert',
      'ACM Certificate Issued',
      'ACM Renewal Mail Missing',
    ]);
    expect(rule.Properties.Targets[0].InputTransformer).toBeUndefined();
    expect(rule.Properties.Targets[0].Input).toBeUndefined();
  });

  it('is cdk-nag clean', () => {
    const { app } = synthesise(zendesk, { nag: true });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('without events.apiDestination', () => {
  const { template } = synthesiseOnce();

  it('makes no connection, destination or rule for it (the example deploys without any secret)', () => {
    expect(resourcesOf(template, 'AWS::Events::Connection')).toEqual({});
    expect(resourcesOf(template, 'AWS::Events::ApiDestination')).toEqual({});
    expect(exampleJson().events).toBeUndefined();
  });
});

describe('the configuration of events.apiDestination', () => {
  const errorOf = (apiDestination: unknown) => {
    try {
      parseConfiguration(
        exampleWith((c) => {
          c.events = { apiDestination } as never;
        }),
        'config',
      );
      return '';
    } catch (error) {
      return (error as ConfigurationError).message;
    }
  };
  const valid = {
    endpoint: 'https://example.zendesk.com/api/v2/tickets.json',
    authorization: { type: 'basic', username: 'u', secretArn: SECRET },
  };

  it('accepts the example, and names the field and value of each mistake', () => {
    expect(errorOf(valid)).toBe('');
    expect(errorOf({ ...valid, endpoint: 'http://example.org/x' })).toContain(
      'config.events.apiDestination.endpoint: "http://example.org/x" is not an HTTPS endpoint',
    );
    expect(errorOf({ ...valid, endpoint: 'https://user:pw@example.org/x' })).toContain('is not an HTTPS endpoint');
    expect(errorOf({ ...valid, authorization: { type: 'basic', username: 'u', secretArn: 'my-secret' } })).toContain(
      'config.events.apiDestination.authorization.secretArn: "my-secret" is not a Secrets Manager secret ARN',
    );
    expect(errorOf({ ...valid, detailTypes: ['ACM Certificate Expired'] })).toContain(
      'config.events.apiDestination.detailTypes[0]',
    );
    expect(errorOf({ ...valid, rateLimitPerSecond: 0 })).toContain('is below 1 (expected 1 to 300)');
    expect(errorOf({ ...valid, password: 'x' })).toContain('password');
  });
});
