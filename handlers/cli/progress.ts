/**
 * What a long command is doing, on one line of stderr rewritten in place, only when stderr is a terminal: a person
 * watching sees the run move, while a pipe, a file or CI gets exactly the output it got before, nothing extra.
 * Plain carriage returns and spaces, no escape codes, so even a dumb terminal shows it right.
 */
import type { Io } from './io.js';

export interface Progress {
  /** Replaces the line with `text` (keep it short: a wrapped line cannot be rewritten). */
  show(text: string): void;
  /** Blanks the line, so that whatever is printed next starts on a clean one. */
  clear(): void;
}

const SILENT: Progress = { show: () => {}, clear: () => {} };

export function progressOn(io: Io): Progress {
  if (io.stderr.isTTY !== true) return SILENT;
  let shown = 0;
  return {
    show(text) {
      io.stderr.write(`\r${text}${' '.repeat(Math.max(0, shown - text.length))}`);
      shown = Math.max(shown, text.length);
    },
    clear() {
      if (shown > 0) io.stderr.write(`\r${' '.repeat(shown)}\r`);
      shown = 0;
    },
  };
}
