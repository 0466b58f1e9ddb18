/**
 * Router figures for `npm run bench`: end to end against the local emulators (the exact outcome of the load, its
 * throughput and the p99 latency of one SES record), the CPU the router adds per message over the parse alone, the
 * size of the deployed bundle and the median time to import it in a fresh Node process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadRequests } from '../fixtures/generator/load.js';
import { awsClients } from '../handlers/adapters/aws-clients.js';
import { cachedTxtResolver, keysFileTxtResolver } from '../handlers/adapters/dns-txt-resolver.js';
import { composeMail } from '../handlers/adapters/mime-composer.js';
import { parseConfiguration } from '../handlers/core/configuration/index.js';
import { parseAcmMail } from '../handlers/core/parse-mail.js';
import { sesRecordForStoredMail } from '../handlers/core/stored-mail-event.js';
import { wiredRouter } from '../handlers/router/wired-router.js';
import { PipelineFunction } from '../infra/constructs/pipeline-function.js';
import { exampleJson } from '../test/support/configuration.js';
import { FIXTURE_DKIM_KEYS } from '../test/support/fixtures.js';
import { inMemoryPorts } from '../test/support/in-memory-ports.js';
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
 * imported in pairs, back to back, each in a fresh process, the first of a pair alternating between them (the second
 * process of a pair finds more of node_modules in the page cache). The ratio is the median of the pairs' ratios:
 * a pair shares the machine's load of that moment, which drifts 2-4x over a run on these shared machines, so the
 * paired ratio holds where a ratio of two medians taken minutes apart moved by 10%.
 */
export function routerBundle(imports: number) {
  // The externalised @aws-sdk/* resolve from the project's node_modules, linked beside the bundles, as from Lambda's
  // runtime; nothing is written into the project (rmSync removes the link, not its target).
  const outdir = mkdtempSync(join(tmpdir(), 'acm-mail-bench-bundle-'));
  symlinkSync(join(root, 'node_modules'), join(outdir, 'node_modules'), 'dir');
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
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      ARCHIVE_BUCKET: 'bench',
      REQUEST_TABLE: 'bench',
      APPROVALS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:000000000000:approvals',
      ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:000000000000:alerts',
      SENDER_ADDRESS: 'acm-mail@notify.example.org',
      EVENT_BUS_NAME: 'bench-events',
    };
    const routerTimes: number[] = [];
    const baselineTimes: number[] = [];
    const pairRatios: number[] = [];
    const importRouter = () => importInFreshProcess(join(routerDir, 'index.mjs'), env);
    const importBaseline = () => importInFreshProcess(join(baselineDir, 'index.mjs'), env);
    // One discarded pair first: it pays for reading node_modules from disk, which a warm machine does not.
    for (let run = 0; run <= imports; run++) {
      let routerMs: number;
      let baselineMs: number;
      if (run % 2 === 0) {
        routerMs = importRouter();
        baselineMs = importBaseline();
      } else {
        baselineMs = importBaseline();
        routerMs = importRouter();
      }
      if (run === 0) continue;
      routerTimes.push(routerMs);
      baselineTimes.push(baselineMs);
      pairRatios.push(routerMs / baselineMs);
    }
    const coldImportMs = percentile(routerTimes, 50);
    const baselineColdImportMs = percentile(baselineTimes, 50);
    return {
      bundleBytes: statSync(join(routerDir, 'index.mjs')).size,
      assetFiles: readdirSync(routerDir),
      coldImportMs,
      baselineBundleBytes: statSync(join(baselineDir, 'index.mjs')).size,
      baselineColdImportMs,
      coldImportRatio: percentile(pairRatios, 50),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * CPU the router's own logic costs per message, measured with the in-memory ports of the fast tests
 * (test/support/in-memory-ports.ts) so that the emulators' CPU (which shares this process in routerEndToEnd) is not
 * counted. Wired by the one router factory; only the three ports that would reach the network are replaced, and the
 * ticket mail is still composed into MIME as SES would be sent it.
 */
export async function routerCpuInMemory(requestCount: number): Promise<number> {
  const configuration = parseConfiguration(exampleJson(), 'example');
  const { archive, store, notifier, events } = inMemoryPorts();
  const router = wiredRouter(
    {
      configuration,
      // Never called: the archive, the store and the notifier below replace every adapter that would use them.
      clients: awsClients({ region: 'eu-west-1' }),
      resources: {
        archiveBucket: 'bench',
        requestTable: 'bench',
        approvalsTopicArn: 'arn:aws:sns:eu-west-1:000000000000:approvals',
        alertsTopicArn: 'arn:aws:sns:eu-west-1:000000000000:alerts',
        sender: configuration.sender,
        probeKeySecretArn: null,
        eventBusName: 'bench-events',
      },
      dkimResolver: keysFileTxtResolver(FIXTURE_DKIM_KEYS),
    },
    {
      archive,
      store,
      events,
      notifier: {
        ...notifier,
        sendMail: async (mail) => {
          composeMail({ from: configuration.sender, ...mail });
          return notifier.sendMail(mail);
        },
      },
    },
  );
  const recordsOf = (seed: string) =>
    loadRequests(requestCount, seed)
      .flatMap((request) => request.copies)
      .map((bytes, index) => {
        archive.store(`${seed}${index}`, bytes);
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
