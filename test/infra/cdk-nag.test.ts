import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleWith } from '../support/configuration.js';
import { type Synthesised, synthesise } from '../support/infra.js';

/** Synthesises the app now and returns its outcome to replay in a test: throws what synthesis threw, or nothing. */
function synthesisOf({ app }: Synthesised): () => void {
  try {
    app.synth();
    return () => {};
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

describe('cdk-nag AwsSolutions over the whole app', () => {
  // Four apps, each synthesised once, in beforeAll: cdk-nag runs during synthesis, so a finding is a thrown error.
  const example = synthesise(undefined, { nag: true });
  const existingManyDomains = synthesise(
    exampleWith((c) => {
      c.ruleSet = { mode: 'existing', name: 'corporate-inbound' };
      c.validationDomains.push(...Array.from({ length: 25 }, (_, n) => ({ name: `d${n}.example.org` })));
    }),
    { nag: true },
  );
  const withSenderIdentity = synthesise(
    exampleWith((c) => {
      c.senderIdentity = {
        hostedZone: { id: 'Z0EXAMPLE0NOTIFY00001', name: 'example.org' },
        dmarc: { policy: 'none' },
      };
    }),
    { nag: true },
  );
  const withCarelessQueue = synthesise(undefined, { nag: true });
  new Queue(withCarelessQueue.stack, 'CarelessQueue');

  let exampleSynthesis: () => void;
  let existingManyDomainsSynthesis: () => void;
  let carelessQueueSynthesis: () => void;
  let senderIdentitySynthesis: () => void;
  beforeAll(() => {
    senderIdentitySynthesis = synthesisOf(withSenderIdentity);
    exampleSynthesis = synthesisOf(example);
    existingManyDomainsSynthesis = synthesisOf(existingManyDomains);
    carelessQueueSynthesis = synthesisOf(withCarelessQueue);
  }, 120_000);

  it('finds nothing unacknowledged with the example configuration', () => {
    expect(exampleSynthesis).not.toThrow();
  });

  it('finds nothing unacknowledged in existing rule-set mode with many domains either', () => {
    expect(existingManyDomainsSynthesis).not.toThrow();
  });

  it('finds nothing unacknowledged with the sender domain identity (senderIdentity) either', () => {
    expect(senderIdentitySynthesis).not.toThrow();
  });

  it('does run: an unencrypted queue without TLS added to the stack fails the synth', () => {
    expect(carelessQueueSynthesis).toThrow(
      /AwsSolutions-SQS3[\s\S]*AwsSolutions-SQS4|AwsSolutions-SQS4[\s\S]*AwsSolutions-SQS3/,
    );
  });

  it('every acknowledgement carries a specific reason', () => {
    const acknowledgements = example.stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledgements.map(([id]) => id).sort()).toEqual([
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::<PipelineArchiveBucketD058960A.Arn>/inbound/*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::<PipelineArchiveBucketD058960A.Arn>/quarantine/*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:eu-west-1:<AWS::AccountId>:schedule/AcmValidationMail-Pipeline-Canary-CheckGroup-5554D3E5/*]',
      'AwsSolutions::AwsSolutions-SMG4',
      // The router's and the events handler's dead-letter queues.
      'AwsSolutions::AwsSolutions-SQS3',
      'AwsSolutions::AwsSolutions-SQS3',
    ]);
    for (const [, reason] of acknowledgements) expect(reason.length).toBeGreaterThan(60);
  });
});
