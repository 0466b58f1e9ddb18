/** An in-memory ProductEventBus that records what was published (tests only; production puts them on EventBridge). */
import type { ProductEvent } from '../../handlers/core/product-events.js';
import type { ProductEventBus } from '../../handlers/ports/product-events.js';

export function recordingProductEvents(): ProductEventBus & { readonly published: ProductEvent[] } {
  const published: ProductEvent[] = [];
  return {
    published,
    async publish(events) {
      published.push(...events);
    },
  };
}
