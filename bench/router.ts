/**
 * Router figures for `npm run bench`: end to end against the local emulators (the exact outcome of the load, its
 * throughput and the p99 latency of one SES record), the CPU the router adds per message over the parse alone, the
 * size of the deployed bundle and the median time to import it in a fresh Node process.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadRequests } from '../fixtures/generator/load.js';
import { cachedTxtResolver, keysFileTxtResolver } from '../handlers/adapters/dns-txt-resolver.js';
import { parseAcmMail } from '../handlers/core/parse-mail.js';
import { PipelineFunction } from '../infra/constructs/pipeline-function.js';
import { exampleJson } from '../test/support/configuration.js';
import { FIXTURE_DKIM_KEYS } from '../test/support/fixtures.js';
import { synthesise } from '../test/support/infra.js';
import { expectedLoadInvariants, runLoad } from '../test/support/load-run.js';
import { startHarness } from '../test/support/local-aws.js';

const root = fileURLToPath(new URL('../', import.meta.url));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * The load scenario that was too heavy for `npm test`: `requestCount` requests x 5 copies with `concurrency`
 * invocations at once, its invariants checked exactly (test/support/load-run.ts, the same runner as the load test).
 */
export async function routerEndToEnd(requestCount: number, concurrency: number) {
  const h = await startHarness();
  try {
    const run = await runLoad(h, loadRequests(requestCount, 'bench'), concurrency);
    const expected = expectedLoadInvariants(requestCount);
    return {
      messages: run.messages,
      tickets: run.invariants.tickets,
      invariants: run.invariants,
      expected,
      invariantsHold: isDeepStrictEqual(run.invariants, expected),
      failureSamples: run.failureSamples,
      routerMsgsPerSec: run.messages / run.seconds,
      routerP99Ms: percentile([...run.latenciesMs], 99),
      // Includes the emulators, which run in this process: an upper bound of the router's own CPU.
      cpuMsPerMsgWithEmulators: run.cpuMs / run.messages,
    };
  } finally {
    await h.stop();
  }
}

/** CPU per message of parsing alone, on the same mails, for the overhead comparison. */
export async function parseCpuMsPerMsg(requestCount: number): Promise<number> {
  const mails = loadRequests(requestCount, 'bench').flatMap((request) => request.copies);
  // The parse as the router runs it: with our own DKIM check, its DNS answer cached (the fixture key).
  const dkim = { resolver: cachedTxtResolver(keysFileTxtResolver(FIXTURE_DKIM_KEYS)), now: new Date() };
  for (const mail of loadRequests(requestCount, 'warm').flatMap((request) => request.copies)) {
    await parseAcmMail(mail, { dkim });
  }
  const before = process.cpuUsage();
  for (const mail of mails) await parseAcmMail(mail, { dkim });
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000 / mails.length;
}

/** Imports a bundle in a fresh Node process and returns the milliseconds the import took. */
function importInFreshProcess(file: string, env: NodeJS.ProcessEnv): number {
  return Number(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        'const t = performance.now(); await import(process.argv[1]); console.log(performance.now() - t);',
        pathToFileURL(file).href,
      ],
      { encoding: 'utf8', env },
    ).trim(),
  );
}

/**
 * Bundles the stack for real and measures the router's asset: its bytes and its cold import time, against a
 * baseline bundle (bench/cold-import-baseline.ts: mailparser, cheerio/slim and the four SDK clients, nothing of ours)
 * built in the same synth by the same construct, so with the same esbuild options and externals. The two are
 * imported alternately, the same number of times, each in a fresh process: the ratio holds on a slow day too.
 */
export function routerBundle(imports: number) {
  mkdirSync(join(root, 'out'), { recursive: true });
  // Inside the project so that the externalised @aws-sdk/* resolve from node_modules, as from Lambda's runtime.
  const outdir = mkdtempSync(join(root, 'out', 'bench-bundle-'));
  try {
    const { app, stack } = synthesise(exampleJson(), { bundle: true, outdir });
    const baselineStack = new Stack(app, 'ColdImportBaseline');
    const baseline = new PipelineFunction(baselineStack, 'Baseline', {
      entry: 'bench/cold-import-baseline.ts',
      description: 'cold-import baseline of npm run bench',
      serviceName: 'bench-baseline',
    });
    app.synth();
    const assetDir = (owner: Stack, fn: PipelineFunction) => {
      const id = owner.getLogicalId(fn.function.node.defaultChild as CfnElement);
      const key = String(Template.fromStack(owner).toJSON().Resources[id].Properties.Code.S3Key);
      return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
    };
    const routerDir = assetDir(stack, stack.pipeline.router);
    const baselineDir = assetDir(baselineStack, baseline);
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      ARCHIVE_BUCKET: 'bench',
      REQUEST_TABLE: 'bench',
      APPROVALS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:000000000000:approvals',
      ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:000000000000:alerts',
      SENDER_ADDRESS: 'acm-mail@notify.example.org',
    };
    const routerTimes: number[] = [];
    const baselineTimes: number[] = [];
    // One discarded pair first: it pays for reading node_modules from disk, which a warm machine does not.
    for (let run = 0; run <= imports; run++) {
      const routerMs = importInFreshProcess(join(routerDir, 'index.mjs'), env);
      const baselineMs = importInFreshProcess(join(baselineDir, 'index.mjs'), env);
      if (run === 0) continue;
      routerTimes.push(routerMs);
      baselineTimes.push(baselineMs);
    }
    const coldImportMs = percentile(routerTimes, 50);
    const baselineColdImportMs = percentile(baselineTimes, 50);
    return {
      bundleBytes: statSync(join(routerDir, 'index.mjs')).size,
      assetFiles: readdirSync(routerDir),
      coldImportMs,
      baselineBundleBytes: statSync(join(baselineDir, 'index.mjs')).size,
      baselineColdImportMs,
      coldImportRatio: coldImportMs / baselineColdImportMs,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * CPU the router's own logic costs per message, measured with in-memory ports so that the emulators' CPU (which
 * shares this process in routerEndToEnd) is not counted. Bench-only stand-ins: the tests use the real adapters.
 */
export async function routerCpuInMemory(requestCount: number): Promise<number> {
  const { parseConfiguration } = await import('../handlers/core/configuration/index.js');
  const { makeRouter } = await import('../handlers/router/router.js');
  const { countingMetrics, silentLogger } = await import('../handlers/adapters/observability.js');
  const { sesRecordForStoredMail } = await import('../handlers/core/stored-mail-event.js');
  const { composeMail } = await import('../handlers/adapters/mime-composer.js');
  type Ports = Parameters<typeof makeRouter>[0];
  const mails = new Map<string, Buffer>();
  const outcomes = new Map<string, Awaited<ReturnType<Ports['store']['recordOutcome']>>>();
  const requests = new Map<string, Awaited<ReturnType<Ports['store']['claim']>>['request']>();
  const store: Ports['store'] = {
    recordedOutcome: async (id) => outcomes.get(id) ?? null,
    recordOutcome: async (record) => {
      if (!outcomes.has(record.messageId)) outcomes.set(record.messageId, record);
      return outcomes.get(record.messageId) ?? record;
    },
    claim: async (claim) => {
      const existing = requests.get(claim.key);
      if (existing) return { kind: 'duplicate', request: existing };
      const request = {
        key: claim.key,
        domain: claim.domain,
        accountId: claim.accountId,
        region: claim.region,
        certificateArn: claim.certificateArn,
        owner: claim.owner,
        renewal: claim.renewal,
        trust: claim.trust,
        firstReceivedAt: claim.receivedAt,
        latestReceivedAt: claim.receivedAt,
        approvalDeadline: claim.approvalDeadline,
        addresses: claim.recipients,
        links: claim.approvalUrl ? [{ url: claim.approvalUrl, trust: claim.trust, receivedAt: claim.receivedAt }] : [],
        threadAnchor: claim.threadAnchor,
        status: 'claimed' as const,
        claimedBy: claim.messageId,
        ticketMessageId: null,
        publishedAt: null,
        pendingFollowUpBy: null,
      };
      requests.set(claim.key, request);
      return { kind: 'new', request };
    },
    markTicketSent: async () => undefined,
    markPublished: async () => undefined,
    markDelivered: async () => undefined,
    finishFollowUp: async () => undefined,
    claimAlert: async () => true,
    takeHourlySlot: async () => true,
  };
  const configuration = parseConfiguration(exampleJson(), 'example');
  const router = makeRouter({
    configuration,
    dkimResolver: keysFileTxtResolver(FIXTURE_DKIM_KEYS),
    archive: {
      readInbound: async (id) => {
        const bytes = mails.get(id);
        return bytes ? { bytes, sizeBytes: bytes.length } : null;
      },
      quarantine: async (id) => `memory://quarantine/${id}`,
      inboundLocation: (id) => `memory://inbound/${id}`,
    },
    store,
    // The MIME message is composed as in production; only the network call is left out.
    notifier: {
      sendMail: async (mail) => {
        composeMail({ from: configuration.sender, ...mail });
        return 'memory';
      },
      publish: async (_topic, message) => {
        JSON.stringify(message);
      },
    },
    metrics: countingMetrics(),
    logger: silentLogger,
    clock: () => new Date(),
  });
  const recordsOf = (seed: string) =>
    loadRequests(requestCount, seed)
      .flatMap((request) => request.copies)
      .map((bytes, index) => {
        mails.set(`${seed}${index}`, bytes);
        return sesRecordForStoredMail(`${seed}${index}`, bytes, 'eu-west-1', new Date());
      });
  // Warm the JIT on other requests first, as parseCpuMsPerMsg does, so both figures are steady-state.
  for (const record of recordsOf('warm')) await router({ Records: [record] });
  const records = recordsOf('bench');
  const before = process.cpuUsage();
  for (const record of records) await router({ Records: [record] });
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000 / records.length;
}
