/**
 * The product's events onto the central event bus with EventBridge's PutEvents (EventBridge API Reference,
 * "PutEvents"): at most 10 entries per request and 256 KB per entry and per request. PutEvents answers 200 even when
 * some entries were refused: each refused entry has an `ErrorCode` in `Entries[i]` (same order as the request) and
 * `FailedEntryCount` counts them. So a partial failure is an error here, naming each refused event by its
 * detail-type, `outcomeKey` and `ErrorCode`: the caller's retry puts them again (consumers de-duplicate on
 * `detail.outcomeKey`). The error never holds a detail: one may carry an approval link.
 */
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  PRODUCT_EVENT_SOURCE,
  type ProductEvent,
  PUT_EVENTS_MAX_ENTRIES,
  PUT_EVENTS_MAX_ENTRY_BYTES,
  productEventEntryBytes,
  shrinkToFit,
} from '../core/product-events.js';
import type { ProductEventBus } from '../ports/product-events.js';

/** Some events were not put: which, and why. */
export class ProductEventsNotPutError extends Error {
  override readonly name = 'ProductEventsNotPutError';
  constructor(
    readonly busName: string,
    readonly failed: readonly {
      readonly detailType: string;
      readonly outcomeKey: string;
      readonly errorCode: string;
    }[],
  ) {
    super(
      `${failed.length} event(s) not put on event bus ${busName}: ` +
        failed.map((f) => `${f.detailType} ${f.outcomeKey}: ${f.errorCode}`).join('; '),
    );
  }
}

export class EventBridgeProductEvents implements ProductEventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly ProductEvent[]): Promise<void> {
    const fitted = events.map((event) => {
      const fit = shrinkToFit(event);
      if (fit === null) {
        // Never dropped in silence: failing makes the caller retry, then dead-letter, and the alarm says so.
        throw new ProductEventsNotPutError(this.busName, [
          {
            detailType: event.detailType,
            outcomeKey: event.detail.outcomeKey,
            errorCode: `entry of ${productEventEntryBytes(event)} bytes exceeds ${PUT_EVENTS_MAX_ENTRY_BYTES} even cut`,
          },
        ]);
      }
      return fit;
    });
    // Loaded on the first put, like the client: most mail puts no event, and the package costs cold-start time.
    const { PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
    const failed: ProductEventsNotPutError['failed'][number][] = [];
    for (const batch of batches(fitted)) {
      const answer = await this.client.send(new PutEventsCommand({ Entries: batch.map((e) => this.entryOf(e)) }));
      if ((answer.FailedEntryCount ?? 0) === 0) continue;
      batch.forEach((event, index) => {
        const result = answer.Entries?.[index];
        // An entry without an answer counts as refused: only an EventId says EventBridge took it.
        if (result?.EventId !== undefined && result.ErrorCode === undefined) return;
        failed.push({
          detailType: event.detailType,
          outcomeKey: event.detail.outcomeKey,
          errorCode: result?.ErrorCode ?? 'NoEntryInAnswer',
        });
      });
    }
    if (failed.length > 0) throw new ProductEventsNotPutError(this.busName, failed);
  }

  private entryOf(event: ProductEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.busName,
      Source: PRODUCT_EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Resources: [...event.resources],
      Time: new Date(event.time),
    };
  }
}

/** Requests of at most 10 entries and 256 KB each (every entry already fits alone). */
function batches(events: readonly ProductEvent[]): ProductEvent[][] {
  const all: ProductEvent[][] = [];
  let current: ProductEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = productEventEntryBytes(event);
    if (current.length === PUT_EVENTS_MAX_ENTRIES || bytes + size > PUT_EVENTS_MAX_ENTRY_BYTES) {
      all.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) all.push(current);
  return all;
}

/**
 * The adapter over an EventBridge client made only when the first event is put: the SDK package stays out of a
 * function's cold start (most invocations put nothing, or put after the mail has gone out).
 */
export function lazyEventBridgeProductEvents(
  eventBridge: () => Promise<EventBridgeClient>,
  busName: string,
): ProductEventBus {
  let bus: Promise<ProductEventBus> | undefined;
  return {
    async publish(events) {
      bus ??= eventBridge().then((client) => new EventBridgeProductEvents(client, busName));
      await (await bus).publish(events);
    },
  };
}
