/** The AWS side of `acm-mail replay`: the archive listing, uploads, and the router's dead-letter queue. */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ARCHIVE_PREFIX } from '../core/deployment-contract.js';
import type { DeadLetter, ReplaySources } from '../ports/replay.js';

export function archiveReplaySources(
  s3: S3Client,
  bucket: string,
  maxBytes: number,
): Pick<ReplaySources, 'listArchive' | 'readArchive' | 'putInbound'> {
  return {
    async listArchive(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key && !object.Key.endsWith('/')) keys.push(object.Key);
        token = page.NextContinuationToken;
      } while (token);
      return keys;
    },
    async readArchive(messageId) {
      try {
        const answer = await s3.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: `${ARCHIVE_PREFIX.inbound}${messageId}`,
            Range: `bytes=0-${maxBytes - 1}`,
          }),
        );
        return Buffer.from(
          await (answer.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
        );
      } catch (error) {
        if ((error as Error).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async putInbound(messageId, bytes) {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `${ARCHIVE_PREFIX.inbound}${messageId}`, Body: bytes }),
      );
    },
  };
}

export function deadLetterQueue(sqs: SQSClient, queueUrl: string): ReplaySources['receiveDeadLetters'] {
  return async () => {
    const answer = await sqs.send(
      // Long enough to process a batch; a letter that fails again reappears for the next replay, never lost.
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 300,
      }),
    );
    return (answer.Messages ?? []).map(
      (message): DeadLetter => ({
        body: message.Body ?? '',
        remove: async () => {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        },
      }),
    );
  };
}
