/** `acm-mail`: the same core the Lambda functions use, from a shell. */

import { EXIT, type Io } from './io.js';
import { parseCommand } from './parse-command.js';
import { startCommand } from './start-command.js';

const USAGE = `usage: acm-mail <command> [options]

commands:
  parse [--json] FILE...   parse mail files: kind, trust verdict, reasons and the approval request's fields
  start [DIR]              run the parser over every .eml under DIR (default: the project's fixtures)

exit codes: 0 every file read, 2 a file could not be read, 64 usage error`;

export async function main(args: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'parse':
      return parseCommand(rest, io, USAGE);
    case 'start':
      return startCommand(rest, io, USAGE);
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    default:
      io.stderr.write(
        `acm-mail: ${command === undefined ? 'no command given' : `unknown command "${command}"`}\n${USAGE}\n`,
      );
      return EXIT.usage;
  }
}
