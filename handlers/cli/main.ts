/** `acm-mail`: the same core the Lambda functions use, from a shell. */

import { digestCommand } from './digest-command.js';
import { EXIT, type Io } from './io.js';
import { parseCommand } from './parse-command.js';
import { replayCommand } from './replay-command.js';
import { runCommand, startCommand } from './run-command.js';

const USAGE = `usage: acm-mail <command> [options]

commands:
  parse [--json] [--dkim-keys FILE] FILE...
                           parse mail files: kind, trust verdict, reasons and the approval request's fields;
                           ACM's DKIM key from DNS, or from FILE ({"<selector>._domainkey.<domain>": "v=DKIM1; ..."})
  run [--config FILE] [--concurrency N] [--dkim-keys FILE] --out DIR PATH...
                           run the whole pipeline locally (emulators for S3, SNS, DynamoDB, SES) over .eml files
                           or folders; writes what was sent under DIR; the last line is the counts as JSON;
                           ACM's DKIM key from DNS, or from FILE
  start                    run with the example configuration on the project's fixtures (signed with a test key,
                           fixtures/dkim/keys.json) into out/, with the digest
  digest --preview [--config FILE] [--input FILE.json] [--out FILE.html] [--at ISO-TIME]
                           render the digest without sending it, from out/digest-input.json (written by npm start)
  replay --config FILE [--stack NAME] (--message-id ID... | --prefix inbound/... | --dir DIR | --dead-letters)
                           run stored mail through the deployed router again (shell credentials); idempotent:
                           mail whose outcome is recorded is not processed twice

exit codes: 0 done, 1 a mail failed or the run failed, 2 a file or the configuration could not be read,
            64 usage error`;

export async function main(args: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'parse':
      return parseCommand(rest, io, USAGE);
    case 'start':
      return startCommand(rest, io, USAGE);
    case 'run':
      return runCommand(rest, io, USAGE);
    case 'replay':
      return replayCommand(rest, io, USAGE);
    case 'digest':
      return digestCommand(rest, io, USAGE);
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
