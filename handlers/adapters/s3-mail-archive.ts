/** The raw-mail archive (S3): SES's `inbound/` objects are only ever read; suspicious mail is copied to `quarantine/`. */
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ARCHIVE_PREFIX } from '../core/deployment-contract.js';
import type { MailArchive } from '../ports/router.js';

const INBOUND_PREFIX = ARCHIVE_PREFIX.inbound;
const QUARANTINE_PREFIX = ARCHIVE_PREFIX.quarantine;

export function s3MailArchive(client: S3Client, bucket: string): MailArchive {
  return {
    async readInbound(messageId, maxBytes) {
      let answer: GetObjectCommandOutput;
      try {
        answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${INBOUND_PREFIX}${messageId}` }));
      } catch (error) {
        if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return null;
        throw error;
      }
      const body = answer.Body as AsyncIterable<Uint8Array> & { destroy?: () => void };
      // Read up to the limit and stop: an oversize mail never enters memory whole.
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of body) {
        const room = maxBytes - size;
        chunks.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
        size += Math.min(chunk.byteLength, room);
        if (size >= maxBytes) break;
      }
      body.destroy?.();
      return { bytes: Buffer.concat(chunks, size), sizeBytes: answer.ContentLength ?? size };
    },

    async quarantine(messageId, bytes) {
      const key = `${QUARANTINE_PREFIX}${messageId}`;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'message/rfc822' }));
      return `s3://${bucket}/${key}`;
    },

    inboundLocation(messageId) {
      return `s3://${bucket}/${INBOUND_PREFIX}${messageId}`;
    },
  };
}
