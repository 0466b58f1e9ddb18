/**
 * The cold-import baseline of `npm run bench` (bench/router.ts): what any function doing the router's job imports
 * before a line of its own, bundled by the router's own construct (PipelineFunction), so with the same esbuild
 * options. It keeps cheerio/slim, what the router read HTML with until it streamed htmlparser2 (cheerio's own parser),
 * so that the ratio stays comparable with earlier reports: cheerio is a devDependency for this file alone.
 * mailparser and cheerio/slim are bundled; the S3, DynamoDB (with the document client), SESv2 and SNS
 * clients are external, provided by the Lambda runtime as for the router. Each is used, so that the bundler keeps
 * it: TypeScript imports that are never used are dropped.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { load } from 'cheerio/slim';
import { simpleParser } from 'mailparser';

const region = process.env.AWS_REGION;
const clients = {
  s3: new S3Client({ region }),
  documents: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
  sesv2: new SESv2Client({ region }),
  sns: new SNSClient({ region }),
};

export async function handler(mail: Buffer): Promise<{ subject: string | undefined; links: number; clients: number }> {
  const parsed = await simpleParser(mail);
  const links = load(parsed.html || '')('a[href]').length;
  return { subject: parsed.subject, links, clients: Object.keys(clients).length };
}
