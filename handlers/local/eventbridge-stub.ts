/**
 * A local stand-in for Amazon EventBridge's `PutEvents`, on 127.0.0.1: there is no EventBridge emulator, so the local
 * run and the tests put the product's events through the production adapter (adapters/eventbridge-product-events.ts)
 * and the real SDK client, and this stub keeps what a rule on the bus would have matched. Nothing here runs in Lambda.
 *
 * It speaks the AWS JSON 1.1 protocol as EventBridge does: `POST /` with `X-Amz-Target: AWSEvents.PutEvents`, the
 * request `{"Entries": [...]}`, the answer `{"FailedEntryCount": n, "Entries": [{"EventId"} | {"ErrorCode",
 * "ErrorMessage"}]}` in the request's order (EventBridge API Reference, "PutEvents", "PutEventsResultEntry"). As
 * EventBridge does, it refuses a request of more than 10 entries or over 256 KB (`ValidationException`), an unknown bus
 * (`ResourceNotFoundException`), and an entry whose Detail is not a JSON object (`MalformedDetail`). Each accepted
 * entry is kept as the event a target receives (`version`, `id`, `detail-type`, `source`, `account`, `time`,
 * `region`, `resources`, `detail`) and, for a bus created with a `file`, appended to it as one JSON line. Tests may refuse entries
 * (`refuseEntry`) or whole requests (`failRequestsWith`) to play EventBridge's partial failures and outages.
 */
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerJson, readBody, refuseJson, startStubServer } from './stub-server.js';

/** One event as EventBridge delivers it to a rule's target. */
export interface DeliveredEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export interface EventBridgeStubOptions {
  /** The event's `region` when the request's signature names none. @default "us-east-1" */
  readonly region?: string;
  /** The bus names it knows from the start (`EventBusName`); `createBus` adds more. @default none */
  readonly buses?: readonly string[];
  /** @default "000000000000" */
  readonly account?: string;
}

export interface StubBusOptions {
  /** Appends each event the bus accepts to this file as one JSON line (the local run's out/events.jsonl). */
  readonly file?: string;
}

export interface RequestEntry {
  readonly EventBusName?: string;
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Resources?: string[];
  readonly Time?: number;
}

export interface EventBridgeStub {
  readonly endpoint: string;
  /** Every accepted event, in order, on any bus. */
  readonly events: readonly DeliveredEvent[];
  /** The events one bus accepted, in order. */
  eventsOn(busName: string): readonly DeliveredEvent[];
  /** A bus, as a deployment creates it. */
  createBus(name: string, options?: StubBusOptions): void;
  /** How many PutEvents requests it answered (refused ones included). */
  readonly requests: readonly { readonly entries: number }[];
  /** When set, answers an ErrorCode for the entry instead of taking it (a partial failure). */
  refuseEntry: ((entry: RequestEntry) => string | null) | null;
  /** When set, every request fails with this error type and HTTP 500 (`InternalException`) or 400. */
  failRequestsWith: string | null;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

function entryBytes(entry: RequestEntry): number {
  const bytes = (text: string | undefined) => Buffer.byteLength(text ?? '', 'utf8');
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0)
  );
}

export async function startEventBridgeStub(options: EventBridgeStubOptions = {}): Promise<EventBridgeStub> {
  const events: DeliveredEvent[] = [];
  const requests: { entries: number }[] = [];
  const buses = new Map<string, { options: StubBusOptions; events: DeliveredEvent[] }>(
    (options.buses ?? []).map((name) => [name, { options: {}, events: [] }]),
  );
  const account = options.account ?? '000000000000';
  const state = { refuseEntry: null as EventBridgeStub['refuseEntry'], failRequestsWith: null as string | null };
  // Appends one at a time, in order, even when requests overlap.
  let written: Promise<void> = Promise.resolve();

  function accept(
    entry: RequestEntry,
    region: string,
  ): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail ?? '{}');
    } catch {
      detail = null;
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (!entry.Source || !entry.DetailType) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter(s) Source and DetailType must be specified.' };
    }
    const refused = state.refuseEntry?.(entry) ?? null;
    if (refused !== null) return { ErrorCode: refused, ErrorMessage: `stubbed ${refused}` };
    const event: DeliveredEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account,
      // JSON 1.1 writes timestamps as epoch seconds; EventBridge delivers them to the second, ISO 8601.
      time: `${new Date((entry.Time ?? Date.now() / 1000) * 1000).toISOString().slice(0, 19)}Z`,
      region,
      resources: entry.Resources ?? [],
      detail: detail as Record<string, unknown>,
    };
    events.push(event);
    const bus = buses.get(entry.EventBusName ?? 'default');
    bus?.events.push(event);
    const file = bus?.options.file;
    if (file !== undefined) written = written.then(() => appendFile(file, `${JSON.stringify(event)}\n`));
    return { EventId: event.id };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request, MAX_BODY_BYTES);
    if (body === null) return refuseJson(response, 'ValidationException', 'request body too large');
    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
      return refuseJson(response, 'UnknownOperationException', `the stub answers PutEvents only, not ${target}`);
    }
    let entries: RequestEntry[];
    try {
      const parsed = JSON.parse(body) as { Entries?: unknown };
      entries = Array.isArray(parsed.Entries) ? (parsed.Entries as RequestEntry[]) : [];
    } catch {
      return refuseJson(response, 'SerializationException', 'the request body is not JSON');
    }
    requests.push({ entries: entries.length });
    if (state.failRequestsWith !== null) {
      const status = state.failRequestsWith === 'InternalException' ? 500 : 400;
      return refuseJson(response, state.failRequestsWith, `stubbed ${state.failRequestsWith}`, status);
    }
    if (entries.length < 1 || entries.length > MAX_ENTRIES) {
      return refuseJson(
        response,
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
      );
    }
    if (entries.reduce((sum, entry) => sum + entryBytes(entry), 0) > MAX_REQUEST_BYTES) {
      return refuseJson(response, 'ValidationException', 'Total size of the entries in the request is over the limit.');
    }
    const unknown = entries.find((entry) => !buses.has(entry.EventBusName ?? 'default'));
    if (unknown !== undefined) {
      return refuseJson(response, 'ResourceNotFoundException', `Event bus ${unknown.EventBusName} does not exist.`);
    }
    // The caller's region, as SigV4 names it in the credential scope (`Credential=<key>/<date>/<region>/events/...`).
    const scope = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/events\//.exec(String(request.headers.authorization));
    const region = scope?.[1] ?? options.region ?? 'us-east-1';
    const results = entries.map((entry) => accept(entry, region));
    await written;
    answerJson(response, 200, {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    });
  }

  const server = await startStubServer(handle, 'InternalException');
  return Object.assign(state, {
    endpoint: server.endpoint,
    events,
    requests,
    eventsOn: (busName: string) => buses.get(busName)?.events ?? [],
    createBus(name: string, busOptions: StubBusOptions = {}) {
      buses.set(name, { options: busOptions, events: [] });
    },
    async stop() {
      await written;
      await server.stop();
    },
  });
}
