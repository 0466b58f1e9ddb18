/** Where `acm-mail replay` finds stored mail and failed events: the archive bucket and the dead-letter queue. */

export interface DeadLetter {
  readonly body: string;
  /** Removes it from the queue: called only after its event was processed. */
  remove(): Promise<void>;
}

export interface ReplaySources {
  /** Keys under the prefix, in order (all pages). */
  readonly listArchive: (prefix: string) => Promise<string[]>;
  readonly readArchive: (messageId: string) => Promise<Buffer | null>;
  readonly putInbound: (messageId: string, bytes: Buffer) => Promise<void>;
  /** Batches from the dead-letter queue until it is empty. */
  readonly receiveDeadLetters: () => Promise<DeadLetter[]>;
}
