/** Concurrency against the emulators: copies of one request racing, and the load the issue names. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRequests } from '../../fixtures/generator/load.js';
import type { MailOutcome } from '../../handlers/router/process-mail.js';
import { type Harness, startHarness } from '../support/local-aws.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

/** Runs `tasks` with at most `limit` at once, like `limit` concurrent Lambda invocations. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<(T | Error)[]> {
  const results: (T | Error)[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let index = next++; index < tasks.length; index = next++) {
        results[index] = await (tasks[index] as () => Promise<T>)().catch((error: Error) => error);
      }
    }),
  );
  return results;
}

describe('concurrent copies', () => {
  it('five copies of one request processed at the same moment still make one ticket', async () => {
    const [request] = loadRequests(1, 'race');
    const records = await Promise.all((request?.copies ?? []).map((copy) => h.deliver(copy)));
    const start = h.sent.length;
    const outcomes = await Promise.all(records.map((record) => h.router()(h.event(record))));
    const kinds = outcomes.map(([outcome]) => outcome?.outcome).sort();
    expect(kinds).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'routed']);
    expect(h.sent.slice(start)).toHaveLength(1);
  });

  it('200 requests x 5 copies with concurrency 10: exactly 200 tickets, 800 duplicates, 0 failures', async () => {
    const requests = loadRequests(200, 'load');
    // Copies interleaved as they arrive in real life: the five of one request close together, requests mixed.
    const records = await pool(
      requests.flatMap((request) => request.copies.map((copy) => () => h.deliver(copy))),
      10,
    );
    const start = h.sent.length;
    const storeBefore = (await h.sesStore()).emails.length;
    const results = await pool(
      records.map((record) => async () => {
        if (record instanceof Error) throw record;
        const [outcome] = await h.router()(h.event(record));
        return outcome as MailOutcome;
      }),
      10,
    );
    const failures = results.filter((result) => result instanceof Error);
    const outcomes = results.filter((result): result is MailOutcome => !(result instanceof Error));
    expect(failures).toEqual([]);
    expect(outcomes.filter((o) => o.outcome === 'routed')).toHaveLength(200);
    expect(outcomes.filter((o) => o.outcome === 'duplicate')).toHaveLength(800);
    const tickets = h.sent.slice(start);
    expect(tickets).toHaveLength(200);
    expect(new Set(tickets.map((ticket) => ticket.mail.subject)).size).toBe(200);
    expect((await h.sesStore()).emails.length - storeBefore).toBe(200);
  }, 120_000);
});
