/**
 * Router figures for `npm run bench`: end to end against the local emulators (throughput and p99 latency of one
 * SES record), the CPU the router adds per message over the parse alone, the size of the deployed bundle and the
 * median time to import it in a fresh Node process.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadRequests } from '../fixtures/generator/load.js';
import { parseAcmMail } from '../handlers/core/parse-mail.js';
import { exampleJson } from '../test/support/configuration.js';
import { logicalId, resourcesOf, synthesise } from '../test/support/infra.js';
import { startHarness } from '../test/support/local-aws.js';

const root = fileURLToPath(new URL('../', import.meta.url));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function routerEndToEnd(requestCount: number, concurrency: number) {
  const h = await startHarness();
  try {
    const requests = loadRequests(requestCount, 'bench');
    const records: Awaited<ReturnType<typeof h.deliver>>[] = [];
    for (const request of requests) for (const copy of request.copies) records.push(await h.deliver(copy));
    const router = h.router();
    const latencies: number[] = [];
    let next = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let index = next++; index < records.length; index = next++) {
          const begun = performance.now();
          await router(h.event(records[index] as (typeof records)[number]));
          latencies.push(performance.now() - begun);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      messages: records.length,
      tickets: h.sent.length,
      routerMsgsPerSec: records.length / seconds,
      routerP99Ms: percentile(latencies, 99),
      // Includes the emulators, which run in this process: an upper bound of the router's own CPU.
      cpuMsPerMsgWithEmulators: (cpu.user + cpu.system) / 1000 / records.length,
    };
  } finally {
    await h.stop();
  }
}

/** CPU per message of parsing alone, on the same mails, for the overhead comparison. */
export async function parseCpuMsPerMsg(requestCount: number): Promise<number> {
  const mails = loadRequests(requestCount, 'bench').flatMap((request) => request.copies);
  for (const mail of mails.slice(0, 200)) await parseAcmMail(mail);
  const before = process.cpuUsage();
  for (const mail of mails) await parseAcmMail(mail);
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000 / mails.length;
}

/** Bundles the stack for real and measures the router's asset: its bytes and its cold import time. */
export function routerBundle(imports: number) {
  mkdirSync(join(root, 'out'), { recursive: true });
  // Inside the project so that the externalised @aws-sdk/* resolve from node_modules, as from Lambda's runtime.
  const outdir = mkdtempSync(join(root, 'out', 'bench-bundle-'));
  try {
    const { app, stack, template } = synthesise(exampleJson(), { bundle: true, outdir });
    app.synth();
    const key = String(
      resourcesOf(template, 'AWS::Lambda::Function')[logicalId(stack, stack.pipeline.router.function)].Properties.Code
        .S3Key,
    ).replace(/\.zip$/, '');
    const dir = join(outdir, `asset.${key}`);
    const bundleBytes = statSync(join(dir, 'index.mjs')).size;
    const assetFiles = readdirSync(dir);
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
    // One discarded run first: it pays for reading node_modules from disk, which a warm machine does not.
    const times = Array.from({ length: imports + 1 }, () =>
      Number(
        execFileSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            'const t = performance.now(); await import(process.argv[1]); console.log(performance.now() - t);',
            pathToFileURL(join(dir, 'index.mjs')).href,
          ],
          { encoding: 'utf8', env },
        ).trim(),
      ),
    );
    return { bundleBytes, assetFiles, coldImportMs: percentile(times.slice(1), 50) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
