/** The digest as files: every mail of a digest run in one HTML page and one text file, for people to look at. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from '../core/routing/presentation.js';
import type { DigestMail } from '../digest/digest.js';

export const DIGEST_INPUT_FILE = 'digest-input.json';

export function writeDigestFiles(outDir: string, mails: readonly DigestMail[], name = 'digest'): string {
  mkdirSync(outDir, { recursive: true });
  const sections = mails.map((mail) => {
    // Each mail's own HTML document, framed by who gets it; the body is the mail exactly as sent.
    const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(mail.html)?.[1] ?? mail.html;
    // A style sheet in the mail's head comes along, should a mail have one (the digests' styles are all inline).
    const head = /<head>([\s\S]*?)<\/head>/.exec(mail.html)?.[1] ?? '';
    const styles = head.match(/<style>[\s\S]*?<\/style>/g)?.join('\n') ?? '';
    return `<section style="margin:0 0 32px 0">\n${styles}<p style="color:#5f6368;font:12px sans-serif">To: ${escapeHtml(mail.to.join(', '))}</p>\n${body}\n</section>`;
  });
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>ACM approval digest</title></head>\n<body style="font-family:sans-serif">\n${
    sections.join('\n<hr>\n') || '<p>No digest to send: nothing is open and nothing happened.</p>'
  }\n</body></html>\n`;
  const text = mails.map((mail) => `To: ${mail.to.join(', ')}\nSubject: ${mail.subject}\n\n${mail.text}`).join('\n\n');
  const htmlPath = join(outDir, `${name}.html`);
  writeFileSync(htmlPath, html);
  writeFileSync(join(outDir, `${name}.txt`), `${text || 'No digest to send.'}\n`);
  return htmlPath;
}
