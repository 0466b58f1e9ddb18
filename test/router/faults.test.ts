/**
 * Faults injected below the SDK's retry layer (a request handler that answers for the emulators): throttling, 500s
 * and timeouts on S3, DynamoDB, SES and SNS. The SDK retries them; what persists ends in a thrown error that Lambda
 * retries, never in a lost message.
 */
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/core/transport';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRequests } from '../../fixtures/generator/load.js';
import { RecordsFailedError } from '../../handlers/router/router.js';
import { type Harness, startHarness } from '../support/local-aws.js';

type Operation = 's3:GetObject' | 's3:PutObject' | 'dynamodb' | 'ses:SendEmail' | 'sns:Publish' | 'other';
type Fault = 'server-error' | 'throttle' | 'timeout';

interface HttpRequestLike {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** Answers planned requests with a fault instead of sending them; counts every attempt per operation. */
class FaultInjector {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  readonly attempts = new Map<Operation, number>();
  readonly injected = new Map<Operation, number>();
  private readonly inner = new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 10_000 });

  constructor(private readonly plan: Map<Operation, Fault[]>) {}

  async handle(request: HttpRequestLike, options?: object) {
    const operation = operationOf(request);
    this.attempts.set(operation, (this.attempts.get(operation) ?? 0) + 1);
    const fault = this.plan.get(operation)?.shift();
    if (fault === undefined) return this.inner.handle(request as never, options as never);
    this.injected.set(operation, (this.injected.get(operation) ?? 0) + 1);
    if (fault === 'timeout') throw Object.assign(new Error('injected: request timed out'), { name: 'TimeoutError' });
    return { response: faultResponse(operation, fault) };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs() {
    return {};
  }
  destroy(): void {
    this.inner.destroy();
  }
}

function operationOf(request: HttpRequestLike): Operation {
  const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'];
  if (target?.startsWith('DynamoDB_')) return 'dynamodb';
  if (request.path.startsWith('/v2/email/outbound-emails')) return 'ses:SendEmail';
  if (typeof request.body === 'string' && request.body.includes('Action=Publish')) return 'sns:Publish';
  if (request.path.includes('/inbound/') && request.method === 'GET') return 's3:GetObject';
  if (request.method === 'PUT') return 's3:PutObject';
  return 'other';
}

function faultResponse(operation: Operation, fault: Exclude<Fault, 'timeout'>): HttpResponse {
  const answer = (statusCode: number, headers: Record<string, string>, body: string) =>
    new HttpResponse({ statusCode, headers, body: Readable.from([Buffer.from(body)]) });
  if (fault === 'server-error') return answer(500, { 'content-type': 'text/plain' }, 'injected: internal error');
  switch (operation) {
    case 'dynamodb':
      return answer(
        400,
        { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ThrottlingException' },
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
          message: 'injected: rate exceeded',
        }),
      );
    case 'ses:SendEmail':
      return answer(
        429,
        { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
        JSON.stringify({ message: 'injected: maximum sending rate exceeded' }),
      );
    case 'sns:Publish':
      return answer(
        400,
        { 'content-type': 'text/xml' },
        '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>injected: rate exceeded</Message></Error><RequestId>x</RequestId></ErrorResponse>',
      );
    default:
      return answer(
        503,
        { 'content-type': 'application/xml' },
        '<Error><Code>SlowDown</Code><Message>injected: reduce your request rate</Message></Error>',
      );
  }
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('transient faults', () => {
  it('throttling, 500s and timeouts on every service are retried by the SDK: one ticket, four duplicates', async () => {
    const injector = new FaultInjector(
      new Map<Operation, Fault[]>([
        ['s3:GetObject', ['server-error', 'throttle']],
        ['dynamodb', ['throttle', 'timeout']],
        ['ses:SendEmail', ['server-error', 'timeout']],
        ['sns:Publish', ['throttle', 'server-error']],
      ]),
    );
    h = await startHarness({ requestHandler: injector as never, maxAttempts: 3 });
    const [request] = loadRequests(1, 'faults');
    const outcomes = [];
    for (const copy of request?.copies ?? []) {
      const [outcome] = await h.router()(h.event(await h.deliver(copy)));
      outcomes.push(outcome?.outcome);
    }
    expect(outcomes).toEqual(['routed', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(h.sent).toHaveLength(1);
    expect((await h.sesStore()).emails).toHaveLength(1);
    // Every planned fault happened and was followed by a successful attempt.
    expect(Object.fromEntries(injector.injected)).toEqual({
      's3:GetObject': 2,
      dynamodb: 2,
      'ses:SendEmail': 2,
      'sns:Publish': 2,
    });
    expect(injector.attempts.get('ses:SendEmail')).toBe(3);
  }, 60_000);
});

describe('persistent faults', () => {
  it('end in a thrown error with no outcome recorded; the raw mail stays; the retry later makes exactly one ticket', async () => {
    const plan = new Map<Operation, Fault[]>([
      ['ses:SendEmail', Array.from({ length: 6 }, () => 'server-error' as const)],
    ]);
    const injector = new FaultInjector(plan);
    h = await startHarness({ requestHandler: injector as never, maxAttempts: 3 });
    const [request] = loadRequests(1, 'persistent');
    const record = await h.deliver(request?.copies[0] ?? Buffer.alloc(0));
    const messageId = record.ses.mail.messageId;

    await expect(h.router()(h.event(record))).rejects.toThrow(RecordsFailedError);
    expect(injector.attempts.get('ses:SendEmail')).toBe(3);
    expect(await h.store.recordedOutcome(messageId)).toBeNull();
    expect(await h.objectExists(`inbound/${messageId}`)).toBe(true);

    // Lambda's second attempt meets the same outage; its third finds SES back.
    await expect(h.router()(h.event(record))).rejects.toThrow(RecordsFailedError);
    const [outcome] = await h.router()(h.event(record));
    expect(outcome?.outcome).toBe('routed');
    expect(h.sent).toHaveLength(1);
    expect((await h.store.recordedOutcome(messageId))?.outcome).toBe('routed');
  }, 60_000);
});
