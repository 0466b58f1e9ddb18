/**
 * Run in a fresh process by bench.ts: one large mail through the parser's stream entry point, as the CLI and the
 * router read it. Prints `{ "ms": ..., "peakRssMb": ..., "kind": ..., "reasons": [...] }`.
 */
import { createReadStream } from 'node:fs';
import { parseAcmMailStream } from '../handlers/core/parse-mail.js';

const file = process.argv[2];
if (!file) throw new Error('usage: large-mail.ts FILE');
const started = performance.now();
const result = await parseAcmMailStream(createReadStream(file));
const ms = performance.now() - started;
// maxRSS is in kilobytes and covers the whole process: Node, the loader and the parser.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ ms, peakRssMb, kind: result.kind, reasons: result.reasons }));
