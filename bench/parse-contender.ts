/**
 * Run in a fresh process by bench.ts: one parser on one mail, warmed, then as many parses as fit in the round.
 * Prints `{ "perSecond": ..., "cpuMsPerParse": ... }`. Each contender gets its own process because in one process the JIT state one leaves
 * behind (mailparser and our parser share libmime, iconv-lite and the stream machinery) made the other's figure
 * jump between two levels from run to run.
 */
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import PostalMime from 'postal-mime';
import { cachedTxtResolver, keysFileTxtResolver } from '../handlers/adapters/dns-txt-resolver.js';
import { parseAcmMail } from '../handlers/core/parse-mail.js';
import { FIXTURE_DKIM_KEYS } from '../test/support/fixtures.js';

const [contender, file, roundMs] = process.argv.slice(2);
if (!contender || !file)
  throw new Error('usage: parse-contender.ts acm|acm-dkim|mailparser|postal-mime FILE [ROUND_MS]');
const mail = readFileSync(file);
const dkim = { resolver: cachedTxtResolver(keysFileTxtResolver(FIXTURE_DKIM_KEYS)), now: new Date() };
const runs: Record<string, () => Promise<unknown>> = {
  acm: () => parseAcmMail(mail),
  'acm-dkim': () => parseAcmMail(mail, { dkim }),
  mailparser: () => simpleParser(mail),
  'postal-mime': () => PostalMime.parse(mail),
};
const run = runs[contender];
if (run === undefined) throw new Error(`unknown contender ${contender}`);

for (let i = 0; i < 300; i++) await run(); // warm the JIT
const round = Number(roundMs ?? 1_500);
let count = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
while (performance.now() - started < round) {
  await run();
  count++;
}
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
// CPU time (user + system) per parse is the figure a busy machine disturbs least; wall time is printed beside it.
console.log(
  JSON.stringify({ perSecond: count / (wallMs / 1000), cpuMsPerParse: (cpu.user + cpu.system) / 1000 / count }),
);
