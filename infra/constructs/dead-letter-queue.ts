/**
 * A dead-letter queue as every one of ours is: SSE, TLS only, kept 14 days (the maximum: a failure stays long enough
 * to be looked at after a holiday), with cdk-nag's "a queue needs its own dead-letter queue" answered.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** `whose`: what fails into it, for the acknowledgement's reason ("the router's asynchronous on-failure destination"). */
export function deadLetterQueue(scope: Construct, id: string, whose: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions::AwsSolutions-SQS3',
    reason:
      `This queue is ${whose}; a queue for its own failures would have nothing to catch: nothing consumes it ` +
      'except operators, alarmed on depth.',
  });
  return queue;
}
