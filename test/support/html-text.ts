/**
 * What a reader sees of a mail's HTML body, line by line in document order: each paragraph and table row on its own
 * line (a `<br>` starts another), a row's header and cell joined by ": ". Whitespace runs collapse to one space, as
 * a browser shows them; the head (title) is not shown. For comparing an HTML part with its text part.
 */
import { Parser } from 'htmlparser2';

const BLOCKS = new Set(['p', 'tr', 'br', 'table', 'div', 'li', 'h1', 'h2', 'h3']);

export function htmlLines(html: string): string[] {
  const lines: string[] = [];
  let line = '';
  let inHead = false;
  const flush = () => {
    const shown = line.replace(/\s+/g, ' ').trim();
    if (shown !== '') lines.push(shown);
    line = '';
  };
  const parser = new Parser({
    onopentag(name) {
      if (name === 'head') inHead = true;
      if (BLOCKS.has(name)) flush();
    },
    onclosetag(name) {
      if (name === 'head') inHead = false;
      if (name === 'th') line += ': ';
      if (BLOCKS.has(name)) flush();
    },
    ontext(text) {
      if (!inHead) line += text;
    },
  });
  parser.write(html);
  parser.end();
  flush();
  return lines;
}

/** The text part's lines as a reader sees them: blank lines dropped, the padding after a row's label collapsed. */
export function textLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}
