/**
 * A router over fresh in-memory ports (in-memory-ports.ts), as the fast router tests build it: fixture DKIM keys,
 * claim waits of a millisecond, a clock the test moves. `deliver` stores a mail as SES would and makes its event
 * record; `receive` runs one mail through and gives its outcome.
 */
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import { sesRecordForStoredMail } from '../../handlers/core/stored-mail-event.js';
import type { RouterDeps } from '../../handlers/router/process-mail.js';
import { makeRouter } from '../../handlers/router/router.js';
import { exampleJson, type RawConfiguration } from './configuration.js';
import { fixtureBytes, fixtureDkim } from './fixtures.js';
import { inMemoryPorts } from './in-memory-ports.js';

export const IN_MEMORY_NOW = new Date('2026-11-25T09:00:00Z');

export function inMemoryRouter(configuration: RawConfiguration = exampleJson(), overrides: Partial<RouterDeps> = {}) {
  const ports = inMemoryPorts();
  const config = parseConfiguration(configuration, 'test configuration');
  let clock = IN_MEMORY_NOW;
  const router = makeRouter({
    configuration: config,
    ...ports,
    clock: () => clock,
    dkimResolver: fixtureDkim().resolver,
    claimWaitsMs: [1, 1],
    sleep: async () => undefined,
    ...overrides,
  });
  let count = 0;
  const deliver = (mail: string | Buffer, messageId = `m-${++count}`) => {
    const bytes = typeof mail === 'string' ? fixtureBytes(mail) : mail;
    ports.archive.store(messageId, bytes);
    return sesRecordForStoredMail(messageId, bytes, config.region, clock);
  };
  return {
    ...ports,
    router,
    deliver,
    run: (record: ReturnType<typeof deliver>) => router({ Records: [record] }),
    async receive(mail: string | Buffer, messageId?: string) {
      const [outcome] = await router({ Records: [deliver(mail, messageId)] });
      if (outcome === undefined) throw new Error('no outcome');
      return outcome;
    },
    setClock: (date: Date) => {
      clock = date;
    },
    later(hours: number) {
      clock = new Date(clock.getTime() + hours * 3600_000);
    },
    /** What the state table recorded for a message: reasons, detail and security facts. */
    recorded: (messageId: string) => ports.store.outcomes.get(messageId),
  };
}
