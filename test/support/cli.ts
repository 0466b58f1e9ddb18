/** The acm-mail command run in-process, its stdout and stderr captured. */
import { main } from '../../handlers/cli/main.js';

/**
 * An Io writing into strings. `isTTY` is what stderr says it is: true for a terminal, undefined as Node leaves it on a
 * pipe or a file.
 */
export function capture(isTTY?: boolean) {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text), isTTY },
  };
  return { out, io };
}

/** One command line, as a person would type it after `acm-mail`: its exit code and what it printed. */
export async function runCommand(args: string[]) {
  const { out, io } = capture();
  const exit = await main(args, io);
  return { exit, ...out };
}
