/** `acm-mail`: the same core the Lambda functions use, from a shell. */
import { readFileSync } from 'node:fs';
import type { CommandSpec, OptionSpecs } from './arguments.js';
import { DIGEST, digestCommand } from './digest-command.js';
import { DOCTOR, doctorCommand } from './doctor-command.js';
import { ESTATE, estateCommand } from './estate-command.js';
import { EXIT, type Io } from './io.js';
import { PARSE, parseCommand } from './parse-command.js';
import { REPLAY, replayCommand } from './replay-command.js';
import { RUN, runCommand, START, startCommand } from './run-command.js';

const USAGE = `usage: acm-mail <command> [options]
       acm-mail <command> --help     the command's own usage and options
       acm-mail --version

commands:
  parse [--json] [--dkim-keys FILE] FILE...
                           parse mail files: kind, trust verdict, reasons and the approval request's fields;
                           ACM's DKIM key from DNS, or from FILE ({"<selector>._domainkey.<domain>": "v=DKIM1; ..."})
  run [--config FILE] [--concurrency N] [--dkim-keys FILE] --out DIR PATH...
                           run the whole pipeline locally (emulators for S3, SNS, SQS, DynamoDB, SES) over .eml files
                           or folders; writes what was sent under DIR; the last line is the counts as JSON;
                           ACM's DKIM key from DNS, or from FILE
  start                    run with the example configuration on the project's fixtures (signed with a test key,
                           fixtures/dkim/keys.json) into out/, with the digest
  digest --preview [--config FILE] [--input FILE.json] [--out FILE.html] [--at ISO-TIME]
                           render the digest without sending it, from out/digest-input.json (written by npm start)
  replay --config FILE [--stack NAME] (--message-id ID... | --prefix inbound/... | --dir DIR | --dead-letters)
                           run stored mail through the deployed router again (shell credentials); idempotent:
                           mail whose outcome is recorded is not processed twice
  doctor --config FILE [--stack NAME] [--json] [--probe] [--dns-server IP[:PORT]]...
                           check a deployment (shell credentials): MX, SES identities, rule set, sending, the
                           router's concurrency, the canary's last runs; ok or the fix for each; exit 0 when all pass
  estate --config FILE [--json | --csv] [--out FILE] [--stack NAME] [--no-mail-history] [--concurrency N]
                           list every account's certificates through its status role (shell credentials), with
                           the approval mail seen and the way off email validation for each email-validated one

exit codes: 0 done, 1 a mail failed or the run failed, 2 a file or the configuration could not be read,
            64 usage error; doctor: 0 every check passed, 1 a check failed; estate: 1 an account or region
            could not be listed`;

const COMMANDS: Readonly<Record<string, { spec: CommandSpec<OptionSpecs>; run: typeof parseCommand }>> = {
  parse: { spec: PARSE, run: parseCommand },
  run: { spec: RUN, run: runCommand },
  start: { spec: START, run: startCommand },
  digest: { spec: DIGEST, run: digestCommand },
  replay: { spec: REPLAY, run: replayCommand },
  doctor: { spec: DOCTOR, run: doctorCommand },
  estate: { spec: ESTATE, run: (args, io) => estateCommand(args, io) },
};

/** The version in package.json, the one thing `--version` prints. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

export async function main(args: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  const known = command === undefined ? undefined : COMMANDS[command];
  if (known !== undefined) return known.run(rest, io);
  switch (command) {
    case '--help':
    case '-h':
    case 'help': {
      // `acm-mail help run` is `acm-mail run --help`.
      const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
      io.stdout.write(`${topic?.spec.usage ?? USAGE}\n`);
      return EXIT.ok;
    }
    case '--version':
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT.ok;
    case undefined:
      io.stderr.write(`acm-mail: no command given\n${USAGE}\n`);
      return EXIT.usage;
    default:
      io.stderr.write(
        `acm-mail: ${command.startsWith('-') ? `unknown option "${command}"` : `unknown command "${command}"`}\n${USAGE}\n`,
      );
      return EXIT.usage;
  }
}
