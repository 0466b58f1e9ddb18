/**
 * `npm run bench`: throughput of the parser against bare mailparser and postal-mime on the same bytes, one 40 MB
 * mail through the parser entry point in a fresh process, the router's figures (bench/router.ts) and the digest's
 * (bench/digest.ts). Absolute times on the shared machines move 2-4x between runs, so every target on time is a
 * ratio of two figures measured in the same run; the absolute figures are printed beside them. Each target line
 * says the figure, its limit and met or MISSED. The last line is one JSON object with the figures.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digest10kMs } from './digest.js';
import { parseCpuMsPerMsg, routerBundle, routerCpuInMemory, routerEndToEnd } from './router.js';

const root = fileURLToPath(new URL('../', import.meta.url));
/** The 2017-layout mail: text part plus ACM's full HTML part, quoted-printable, with SES's stamp (about 12 KB). */
const TYPICAL = join(root, 'fixtures/mail/format-2017-text-html-dashed-account-uuid.eml');
/** Pairs of fresh processes (ours, then mailparser's) the parse ratio is the median of. */
const PARSE_PAIRS = 9;

interface ContenderRun {
  readonly perSecond: number;
  readonly cpuMsPerParse: number;
}

/** One parser on the typical mail in a fresh process (bench/parse-contender.ts). */
function contender(name: 'acm' | 'acm-dkim' | 'mailparser' | 'postal-mime'): ContenderRun {
  const out = execFileSync(
    process.execPath,
    [join(root, 'bin/run-ts.mjs'), join(root, 'bench/parse-contender.ts'), name, TYPICAL],
    { encoding: 'utf8' },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as ContenderRun;
}

/** One line of the report's verdict: the figure, the limit, met or MISSED. */
interface Target {
  readonly name: string;
  readonly value: string;
  readonly limit: string;
  readonly met: boolean;
}

const shown = (n: number, unit: string) => (unit === 'x' ? `${n.toFixed(2)}x` : `${n.toLocaleString('en-GB')}${unit}`);

function atMost(name: string, value: number, limit: number, unit: string): Target {
  return { name, value: shown(value, unit), limit: `at most ${shown(limit, unit)}`, met: value <= limit };
}

function under(name: string, value: number, limit: number, unit: string): Target {
  return { name, value: shown(value, unit), limit: `under ${shown(limit, unit)}`, met: value < limit };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A 40 MB mail: ACM's text followed by a 40 MB base64 attachment, the SES S3 action's largest. */
function writeLargeMail(dir: string, typical: Buffer): string {
  const path = join(dir, 'large.eml');
  const text = typical.toString('latin1');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  const line = `${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0'}\r\n`;
  const body = line.repeat(Math.ceil((40 * 1024 * 1024) / line.length));
  const mime = `${head.replace(/Content-Type: multipart\/alternative;[^\r]*\r\n\t[^\r]*/, 'Content-Type: multipart/mixed; boundary="big"')}\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--big\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
  writeFileSync(path, `${mime}${body}--big--\r\n`, 'latin1');
  return path;
}

async function main(): Promise<void> {
  const typical = readFileSync(TYPICAL);
  // Each contender in its own fresh process, ours then mailparser's, back to back: in one process the two share
  // libmime, iconv-lite and the stream machinery, and whichever JIT state one left behind moved the other's figure
  // between two levels from run to run (0.93x or 1.45x on the same commit). The ratio is of CPU time per parse (what
  // a busy machine disturbs least), the median of the pairs' ratios; wall-clock rates are printed beside it.
  const pairs = Array.from({ length: PARSE_PAIRS }, () => [contender('acm'), contender('mailparser')] as const);
  const parseRatio = median(pairs.map(([acm, mailparser]) => acm.cpuMsPerParse / mailparser.cpuMsPerParse));
  const acmRuns = pairs.map(([acm]) => acm);
  const mailparserRuns = pairs.map(([, mailparser]) => mailparser);
  const withDkimRuns = Array.from({ length: 3 }, () => contender('acm-dkim'));
  const postalRuns = Array.from({ length: 3 }, () => contender('postal-mime'));
  const perSecondOf = (runs: readonly ContenderRun[]) => median(runs.map((run) => run.perSecond));
  const cpuMsOf = (runs: readonly ContenderRun[]) => median(runs.map((run) => run.cpuMsPerParse));
  const acmParsePerSec = perSecondOf(acmRuns);
  const withOwnDkimPerSec = perSecondOf(withDkimRuns);
  const mailparserPerSec = perSecondOf(mailparserRuns);
  const postalMimePerSec = perSecondOf(postalRuns);

  const dir = mkdtempSync(join(tmpdir(), 'acm-bench-'));
  let large: { ms: number; peakRssMb: number; kind: string; reasons: string[] };
  try {
    const file = writeLargeMail(dir, typical);
    const runs = Array.from({ length: 3 }, () =>
      JSON.parse(
        execFileSync(process.execPath, [join(root, 'bin/run-ts.mjs'), join(root, 'bench/large-mail.ts'), file], {
          encoding: 'utf8',
        }),
      ),
    );
    large = runs.sort((a, b) => a.ms - b.ms)[1];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const endToEnd = await routerEndToEnd(1_000, 10);
  // Three interleaved pairs, medians: the router's own work is a tenth of a millisecond, close to the noise.
  const cpuPairs = [];
  for (let run = 0; run < 3; run++) cpuPairs.push([await parseCpuMsPerMsg(200), await routerCpuInMemory(200)] as const);
  const parseCpu = median(cpuPairs.map(([parse]) => parse));
  const routerCpu = median(cpuPairs.map(([, router]) => router));
  const bundle = routerBundle(21);
  const digest = digest10kMs(5);

  const figures = {
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    typicalMailBytes: typical.length,
    acmParsePerSec: Math.round(acmParsePerSec),
    mailparserPerSec: Math.round(mailparserPerSec),
    acmParseMs: Number((1000 / acmParsePerSec).toFixed(3)),
    mailparserParseMs: Number((1000 / mailparserPerSec).toFixed(3)),
    acmParseCpuMs: Number(cpuMsOf(acmRuns).toFixed(3)),
    mailparserParseCpuMs: Number(cpuMsOf(mailparserRuns).toFixed(3)),
    // Our parse's CPU time over mailparser's on the same mail, median of the pairs' ratios: the target.
    parseRatio: Number(parseRatio.toFixed(3)),
    acmParseWithOwnDkimPerSec: Math.round(withOwnDkimPerSec),
    ownDkimAddsMs: Number((1000 / withOwnDkimPerSec - 1000 / acmParsePerSec).toFixed(3)),
    // The parse as the router runs it on a mail ACM signed, against mailparser's CPU time: reported, no target.
    parseWithOwnDkimRatio: Number((cpuMsOf(withDkimRuns) / cpuMsOf(mailparserRuns)).toFixed(3)),
    postalMimePerSec: Math.round(postalMimePerSec),
    largeMailMs: Number(large.ms.toFixed(1)),
    largeMailPeakRssMb: Number(large.peakRssMb.toFixed(1)),
    routerLoad: endToEnd.invariants,
    routerMsgsPerSec: Math.round(endToEnd.routerMsgsPerSec),
    routerP99Ms: Number(endToEnd.routerP99Ms.toFixed(1)),
    routerCpuMsPerMsg: Number(routerCpu.toFixed(2)),
    parseCpuMsPerMsg: Number(parseCpu.toFixed(2)),
    routerAddedCpuMsPerMsg: Number((routerCpu - parseCpu).toFixed(2)),
    routerCpuRatio: Number((routerCpu / parseCpu).toFixed(3)),
    endToEndCpuMsPerMsgWithEmulators: Number(endToEnd.cpuMsPerMsgWithEmulators.toFixed(2)),
    bundleBytes: bundle.bundleBytes,
    coldImportMs: Number(bundle.coldImportMs.toFixed(1)),
    baselineBundleBytes: bundle.baselineBundleBytes,
    baselineColdImportMs: Number(bundle.baselineColdImportMs.toFixed(1)),
    coldImportRatio: Number(bundle.coldImportRatio.toFixed(3)),
    digest10kMs: Number(digest.ms.toFixed(1)),
    plainTable10kMs: Number(digest.plainTableMs.toFixed(1)),
    digestRatio: Number(digest.ratio.toFixed(3)),
  };
  const targets: Target[] = [
    atMost(
      `parseRatio (our parse / mailparser on the same mail, CPU time, fresh processes, median of ${PARSE_PAIRS} pairs; without our DKIM check)`,
      figures.parseRatio,
      1.0,
      'x',
    ),
    under('largeMailPeakRssMb', figures.largeMailPeakRssMb, 160, ' MB'),
    {
      name: '40 MB mail classified oversize',
      value: `${large.kind} (${large.reasons.join(', ')})`,
      limit: 'not-acm (oversize)',
      met: large.kind === 'not-acm' && large.reasons.includes('oversize'),
    },
    {
      name: 'router: 1,000 requests x 5 copies make exactly 1,000 routed, 4,000 duplicates, 0 failures, 1,000 tickets with distinct subjects, 1,000 sent to SES',
      value: `${endToEnd.messages} messages`,
      limit: 'every count exact',
      met: endToEnd.invariantsHold && endToEnd.messages === 5_000,
    },
    atMost('bundleBytes', figures.bundleBytes, 1.5 * 1024 * 1024, ' bytes'),
    atMost(
      'coldImportRatio (router / baseline bundle, cold import, median of 21 back-to-back pairs)',
      figures.coldImportRatio,
      1.1,
      'x',
    ),
    atMost('digestRatio (digest of 10,000 requests / plain HTML table of their fields)', figures.digestRatio, 3, 'x'),
    // The old allowance (the router adds at most 5 ms to a parse of about 2.5 ms) as a ratio of the two.
    atMost(
      'routerCpuRatio (router CPU per message / the parse alone, both with our DKIM check)',
      figures.routerCpuRatio,
      3,
      'x',
    ),
  ];
  console.log(`machine: ${figures.machine}`);
  console.log(`typical ACM mail: ${figures.typicalMailBytes} bytes (${TYPICAL.slice(root.length)})`);
  console.log(
    `  parseAcmMail (MIME + extraction + trust) ${figures.acmParsePerSec}/s, ${figures.acmParseMs} ms per mail, CPU ${figures.acmParseCpuMs} ms`,
  );
  console.log(
    `  mailparser simpleParser (defaults)       ${figures.mailparserPerSec}/s, ${figures.mailparserParseMs} ms per mail, CPU ${figures.mailparserParseCpuMs} ms`,
  );
  console.log(`  postal-mime parse                        ${figures.postalMimePerSec}/s`);
  console.log(`  parse ratio (ours / mailparser, CPU)     ${figures.parseRatio}x (each in a fresh process)`);
  console.log(
    `  with our own DKIM check (mailauth)       ${figures.acmParseWithOwnDkimPerSec}/s: adds ${figures.ownDkimAddsMs} ms per mail ACM signed; ${figures.parseWithOwnDkimRatio}x mailparser's CPU time`,
  );
  console.log(`40 MB mail in a fresh process: ${figures.largeMailMs} ms, peak RSS ${figures.largeMailPeakRssMb} MB`);
  console.log(
    `router end to end on the local emulators (1,000 requests x 5 copies, concurrency 10): ${figures.routerMsgsPerSec} msgs/s, p99 ${figures.routerP99Ms} ms`,
  );
  console.log(`  outcome: ${JSON.stringify(endToEnd.invariants)}`);
  for (const failure of endToEnd.failureSamples) console.log(`  failed: ${failure}`);
  console.log(
    `  CPU per message: router ${figures.routerCpuMsPerMsg} ms (in-memory ports), parse alone ${figures.parseCpuMsPerMsg} ms, added ${figures.routerAddedCpuMsPerMsg} ms (${figures.routerCpuRatio}x); end to end with the in-process emulators ${figures.endToEndCpuMsPerMsgWithEmulators} ms`,
  );
  console.log(
    `router bundle: ${figures.bundleBytes} bytes (${bundle.assetFiles.join(', ')}), cold import median ${figures.coldImportMs} ms`,
  );
  console.log(
    `  baseline bundle (mailparser, cheerio/slim, S3, DynamoDB + document client, SESv2, SNS): ${figures.baselineBundleBytes} bytes, cold import median ${figures.baselineColdImportMs} ms; router / baseline, median of the pairs' ratios, ${figures.coldImportRatio}x`,
  );
  console.log(
    `digest of 10,000 open requests: ${figures.digest10kMs} ms (median of 5; ${digest.mails} mails, ${Math.round(digest.htmlBytes / 1024)} KB of HTML)`,
  );
  console.log(
    `  plain HTML table of the same 10,000 requests' fields: ${figures.plainTable10kMs} ms (median of 5, alternating; ${Math.round(digest.plainHtmlBytes / 1024)} KB); digest / plain ${figures.digestRatio}x`,
  );
  // Not a target: what it protects (the 40 MB mail is never read whole) is the oversize and RSS targets above, and
  // no same-run baseline reads only the first MiB the way the parser does. It catches a hang or a quadratic scan.
  const guards: Target[] = [under('largeMailMs (hang guard, not a target)', figures.largeMailMs, 1000, ' ms')];
  for (const { name, value, limit, met } of targets) {
    console.log(`  target ${name}: ${value}, ${limit}: ${met ? 'met' : 'MISSED'}`);
  }
  for (const { name, value, limit, met } of guards) {
    console.log(`  guard ${name}: ${value}, ${limit}: ${met ? 'met' : 'MISSED'}`);
  }
  console.log(JSON.stringify(figures));
}

await main();
