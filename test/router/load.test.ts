/**
 * Concurrency against the emulators: copies of one request racing, and many requests' copies at once. The heavy
 * scenario (1,000 requests x 5 copies) runs in `npm run bench` with the same runner and the same invariants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRequests } from '../../fixtures/generator/load.js';
import { expectedLoadInvariants, runLoad } from '../support/load-run.js';
import { type Harness, startHarness } from '../support/local-aws.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

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

  it('20 requests x 5 copies with concurrency 10: exactly 20 tickets, 80 duplicates, 0 failures', async () => {
    const run = await runLoad(h, loadRequests(20, 'load'), 10);
    expect(run.failureSamples).toEqual([]);
    expect(run.invariants).toEqual({
      outcomes: { routed: 20, duplicate: 80 },
      failures: 0,
      tickets: 20,
      distinctTicketSubjects: 20,
      sesStored: 20,
    });
    // The bench checks its 1,000 requests against this function: it must say what this test says.
    expect(expectedLoadInvariants(20)).toEqual(run.invariants);
    // The timeout is a hang guard with a wide margin (the run takes a few seconds), never a target.
  }, 60_000);
});
