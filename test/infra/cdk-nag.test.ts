import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { exampleWith } from '../support/configuration.js';
import { synthesise } from '../support/infra.js';

describe('cdk-nag AwsSolutions over the whole app', () => {
  it('finds nothing unacknowledged with the example configuration', () => {
    const { app } = synthesise(undefined, { nag: true });
    expect(() => app.synth()).not.toThrow();
  });

  it('finds nothing unacknowledged in existing rule-set mode with many domains either', () => {
    const config = exampleWith((c) => {
      c.ruleSet = { mode: 'existing', name: 'corporate-inbound' };
      c.validationDomains.push(...Array.from({ length: 25 }, (_, n) => ({ name: `d${n}.example.org` })));
    });
    const { app } = synthesise(config, { nag: true });
    expect(() => app.synth()).not.toThrow();
  });

  it('does run: an unencrypted queue without TLS added to the stack fails the synth', () => {
    const { app, stack } = synthesise(undefined, { nag: true });
    new Queue(stack, 'CarelessQueue');
    expect(() => app.synth()).toThrow(
      /AwsSolutions-SQS3[\s\S]*AwsSolutions-SQS4|AwsSolutions-SQS4[\s\S]*AwsSolutions-SQS3/,
    );
  });

  it('every acknowledgement carries a specific reason', () => {
    const { stack } = synthesise();
    const acknowledgements = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledgements.map(([id]) => id).sort()).toEqual([
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::<PipelineArchiveBucketD058960A.Arn>/inbound/*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::<PipelineArchiveBucketD058960A.Arn>/quarantine/*]',
      'AwsSolutions::AwsSolutions-SQS3',
    ]);
    for (const [, reason] of acknowledgements) expect(reason.length).toBeGreaterThan(60);
  });
});
