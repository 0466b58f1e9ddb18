/** Where the router and the events handler put the product's events (core/product-events.ts). */
import type { ProductEvent } from '../core/product-events.js';

export interface ProductEventBus {
  /**
   * Puts the events on the central bus. Throws when any of them was not accepted, so the caller's retry puts it
   * again (consumers de-duplicate on `detail.outcomeKey`).
   */
  publish(events: readonly ProductEvent[]): Promise<void>;
}
