/** `acm-mail replay` against the emulators: every source, idempotence, and the dead-letter queue. */
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveReplaySources, deadLetterQueue } from '../../handlers/adapters/replay-sources.js';
import { readReplayArguments, replayDkimResolver } from '../../handlers/cli/replay-command.js';
import { checkAcmSignature } from '../../handlers/core/own-dkim.js';
import { sesRecordForStoredMail } from '../../handlers/core/stored-mail-event.js';
import { LOCAL_CREDENTIALS } from '../../handlers/local/services.js';
import { type ReplayDeps, type ReplayLine, replay } from '../../handlers/replay/replay.js';
import { fixtureBytes, fixtureDkim } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/local-aws.js';

let h: Harness;
let sqs: SQSClient;
let deps: ReplayDeps;
let queueUrl: string;

beforeAll(async () => {
  h = await startHarness();
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: h.services.endpoints.sqs, credentials: LOCAL_CREDENTIALS });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'router-dead-letters' }))).QueueUrl ?? '';
  deps = {
    router: h.router(),
    ...archiveReplaySources(h.clients.s3, h.bucket, 1024 * 1024 + 1),
    receiveDeadLetters: deadLetterQueue(sqs, queueUrl),
    recordFor: (messageId, bytes) => sesRecordForStoredMail(messageId, bytes, 'eu-west-1', new Date()),
  };
});
afterAll(() => h.stop());

const quiet = () => undefined;

describe('replay', () => {
  it('by message id: processes stored mail once; a second replay only reports the recorded outcome', async () => {
    const record = await h.deliver(fixtureBytes('current-renewal-text-html'));
    const id = record.ses.mail.messageId;
    const first = await replay({ kind: 'message-ids', messageIds: [id, 'no-such-message'] }, deps, quiet);
    expect(first).toEqual([
      { messageId: id, outcome: 'routed', alreadyRecorded: false },
      {
        messageId: 'no-such-message',
        outcome: 'failed',
        alreadyRecorded: false,
        error: 'inbound/no-such-message does not exist',
      },
    ]);
    const start = h.sent.length;
    const second = await replay({ kind: 'message-ids', messageIds: [id] }, deps, quiet);
    expect(second).toEqual([{ messageId: id, outcome: 'routed', alreadyRecorded: true }]);
    expect(h.sent.length).toBe(start);
  });

  it('by prefix: every stored mail under it, finishing only what never finished', async () => {
    const stored = await h.deliver(fixtureBytes('wildcard-domain'));
    const lines: ReplayLine[] = [];
    await replay({ kind: 'prefix', prefix: 'inbound/' }, deps, (line) => lines.push(line));
    const mine = lines.find((line) => line.messageId === stored.ses.mail.messageId);
    expect(mine).toEqual({ messageId: stored.ses.mail.messageId, outcome: 'foreign-account', alreadyRecorded: false });
    expect(lines.filter((line) => line.alreadyRecorded).length).toBeGreaterThanOrEqual(1);
  });

  it('from a folder: uploads under inbound/ with a content-addressed id, so the same file twice is one message', async () => {
    const file = { name: 'saved.eml', bytes: fixtureBytes('punycode-domain') };
    const [first] = await replay({ kind: 'files', files: [file] }, deps, quiet);
    const [again] = await replay({ kind: 'files', files: [file] }, deps, quiet);
    expect(first).toMatchObject({ outcome: 'routed', alreadyRecorded: false });
    expect(again).toMatchObject({ messageId: first?.messageId, outcome: 'routed', alreadyRecorded: true });
    expect(await h.objectExists(`inbound/${first?.messageId}`)).toBe(true);
  });

  it('drains the dead-letter queue: re-runs each original event with its verdicts, deletes it once processed', async () => {
    const record = await h.deliver(fixtureBytes('govcloud-uuid-only-builds-aws-us-gov-arn'));
    const failureRecord = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: h.event(record),
      responsePayload: { errorType: 'RecordsFailedError' },
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(failureRecord) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not json' }));
    const lines = await replay({ kind: 'dead-letters' }, deps, quiet);
    expect(lines).toContainEqual({ messageId: record.ses.mail.messageId, outcome: 'routed', alreadyRecorded: false });
    expect(lines).toContainEqual(expect.objectContaining({ outcome: 'failed', error: 'not a Lambda failure record' }));
    expect(await deps.receiveDeadLetters()).toHaveLength(0);
  });
});

describe("acm-mail replay: ACM's keys", () => {
  it('reads a key not published now as retired for archived mail, but not for files from a folder', async () => {
    const { resolver, now } = fixtureDkim();
    const verdict = (source: Parameters<typeof replayDkimResolver>[0]) =>
      checkAcmSignature(fixtureBytes('own-dkim-key-not-published'), {
        resolver: replayDkimResolver(source, resolver),
        now,
      });
    expect(await verdict({ kind: 'message-ids', messageIds: ['m'] })).toBe('unavailable');
    expect(await verdict({ kind: 'prefix', prefix: 'inbound/' })).toBe('unavailable');
    expect(await verdict({ kind: 'dead-letters' })).toBe('unavailable');
    expect(await verdict({ kind: 'files', files: [] })).toBe('fail');
  });
});

describe('acm-mail replay arguments', () => {
  it.each([
    [[], '--config FILE is required'],
    [['--config', 'c.json'], 'give exactly one source'],
    [['--config', 'c.json', '--prefix', 'inbound/', '--dead-letters'], 'give exactly one source'],
    [['--config', 'c.json', '--prefix', 'quarantine/'], '--prefix: "quarantine/" is not under inbound/'],
    [['--config', 'c.json', '--message-id'], '--message-id needs a value'],
    [['--config', 'c.json', '--bucket', 'b'], 'unknown option "--bucket"'],
    [['--config', 'c.json', '--message-id', 'm', 'stray'], 'unexpected argument "stray" (replay takes options only)'],
  ])('%j: %s', (args, message) => {
    expect(readReplayArguments(args)).toContain(message);
  });

  it('takes repeated message ids', () => {
    expect(readReplayArguments(['--config', 'c.json', '--message-id', 'a', '--message-id', 'b'])).toEqual({
      config: 'c.json',
      stack: null,
      source: { kind: 'message-ids', messageIds: ['a', 'b'] },
    });
  });
});
