/**
 * Many approval requests, five copies each, through the router on the local emulators as concurrent Lambda
 * invocations. One runner for the load test (small, in `npm test`) and the benchmark (1,000 requests, in
 * `npm run bench`), so that both check the same invariants the same way.
 */
import type { LoadRequest } from '../../fixtures/generator/load.js';
import type { MailOutcome } from '../../handlers/router/process-mail.js';
import type { Harness } from './local-aws.js';

/** What must hold after a load run, compared whole: one ticket per request and nothing else. */
export interface LoadInvariants {
  /** Outcome kinds and how many messages ended in each. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Invocations that threw (a Lambda retry in production; none is expected on the emulators). */
  readonly failures: number;
  /** Tickets the router handed to the notifier. */
  readonly tickets: number;
  readonly distinctTicketSubjects: number;
  /** Mails the SES emulator stored: the tickets really sent. */
  readonly sesStored: number;
}

export interface LoadRun {
  readonly invariants: LoadInvariants;
  /** The first few failures, for the report: the invariants carry only their count. */
  readonly failureSamples: readonly string[];
  readonly messages: number;
  readonly seconds: number;
  /** Wall time of each invocation, queueing on the emulators included. */
  readonly latenciesMs: readonly number[];
  /** CPU of this process while routing, the in-process emulators included. */
  readonly cpuMs: number;
}

/** The invariants a run of `requestCount` requests, five copies each, must end with. */
export function expectedLoadInvariants(requestCount: number): LoadInvariants {
  return {
    outcomes: { routed: requestCount, duplicate: 4 * requestCount },
    failures: 0,
    tickets: requestCount,
    distinctTicketSubjects: requestCount,
    sesStored: requestCount,
  };
}

/**
 * Runs `tasks` with at most `limit` at once, each given the number of the worker running it; a task that throws
 * yields its error instead of stopping the rest.
 */
async function pool<T>(
  tasks: readonly ((worker: number) => Promise<T>)[],
  limit: number,
  perTask: (index: number, ms: number) => void = () => undefined,
): Promise<(T | Error)[]> {
  const results: (T | Error)[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async (_, worker) => {
      for (let index = next++; index < tasks.length; index = next++) {
        const begun = performance.now();
        results[index] = await (tasks[index] as (worker: number) => Promise<T>)(worker).catch((error: unknown) =>
          error instanceof Error ? error : new Error(String(error)),
        );
        perTask(index, performance.now() - begun);
      }
    }),
  );
  return results;
}

/**
 * Stores every copy under inbound/ as SES would, then routes them `concurrency` at a time, each worker with its own
 * router like one Lambda execution environment. The copies stay in arrival order, the five of one request next to
 * each other, so that copies of one request race each other as they do in real life.
 */
export async function runLoad(h: Harness, requests: readonly LoadRequest[], concurrency: number): Promise<LoadRun> {
  const records = await pool(
    requests.flatMap((request) => request.copies.map((copy) => () => h.deliver(copy))),
    concurrency,
  );
  const ticketsBefore = h.sent.length;
  const storedBefore = (await h.sesStore()).emails.length;
  const routers = Array.from({ length: concurrency }, () => h.router());
  const latenciesMs: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const results = await pool(
    records.map((record) => async (worker) => {
      if (record instanceof Error) throw record;
      const [outcome] = await (routers[worker] ?? h.router())(h.event(record));
      return outcome as MailOutcome;
    }),
    concurrency,
    (_index, ms) => latenciesMs.push(ms),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);

  const failures = results.filter((result) => result instanceof Error);
  const outcomes: Record<string, number> = {};
  for (const result of results) {
    if (!(result instanceof Error)) outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
  }
  const tickets = h.sent.slice(ticketsBefore);
  return {
    invariants: {
      outcomes,
      failures: failures.length,
      tickets: tickets.length,
      distinctTicketSubjects: new Set(tickets.map((ticket) => ticket.mail.subject)).size,
      sesStored: (await h.sesStore()).emails.length - storedBefore,
    },
    failureSamples: failures.slice(0, 3).map((error) => `${error.name}: ${error.message}`),
    messages: records.length,
    seconds,
    latenciesMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}
