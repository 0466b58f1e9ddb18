/**
 * `acm-mail replay --config FILE [--stack NAME] SOURCE` against a deployed stack, with the credentials of the shell.
 * The stack's outputs name the archive, table, topics and dead-letter queue; the configuration must be the one the
 * stack was deployed with (owners, accounts, sender).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClients } from '../adapters/aws-clients.js';
import { cachedTxtResolver, keysMayBeRetired, systemTxtResolver } from '../adapters/dns-txt-resolver.js';
import { unreadableReason } from '../adapters/input-files.js';
import { countingMetrics } from '../adapters/observability.js';
import { archiveReplaySources, deadLetterQueue } from '../adapters/replay-sources.js';
import { eventBusName } from '../core/configuration/index.js';
import { DEPLOYED_OUTPUTS } from '../core/deployment-contract.js';
import { DEFAULT_LIMITS } from '../core/limits.js';
import type { TxtResolver } from '../core/own-dkim.js';
import { sesRecordForStoredMail } from '../core/stored-mail-event.js';
import { type ReplaySource, replay } from '../replay/replay.js';
import { wiredRouter } from '../router/wired-router.js';
import { type CommandSpec, type OptionSpecs, readCommandArguments, showHelp, usageError } from './arguments.js';
import { configurationFor } from './inputs.js';
import { EXIT, type Io } from './io.js';
import { progressOn } from './progress.js';

interface ReplayArguments {
  readonly config: string;
  readonly stack: string | null;
  /** `--dir`'s folder is read only once the configuration is known to be readable. */
  readonly source: ReplaySource | { readonly kind: 'folder'; readonly dir: string };
}

export const REPLAY = {
  name: 'replay',
  usage: `usage: acm-mail replay --config FILE [--stack NAME]
                       (--message-id ID... | --prefix inbound/... | --dir DIR | --dead-letters)

Runs stored mail through the deployed router again, with the shell's AWS credentials; the stack's outputs name its
resources. Idempotent: mail whose outcome is recorded is reported, not processed twice. The last line printed is one
JSON object with the counts.

options:
  --config FILE     the configuration the stack was deployed with (required)
  --stack NAME      the stack (default: stackName in the configuration)
  --message-id ID   a stored mail, by its SES message id (repeatable)
  --prefix P        every mail stored under P, which starts with inbound/
  --dir DIR         the .eml files in DIR (not in its subfolders), stored under inbound/ first
  --dead-letters    every event in the router's dead-letter queue; each is deleted once processed
  -h, --help        this help

exit codes: 0 done, 1 a mail failed or the stack could not be read, 2 the configuration or a file could not be read,
            64 usage error`,
  options: {
    config: { type: 'string' },
    stack: { type: 'string' },
    'message-id': { type: 'string', multiple: true },
    prefix: { type: 'string' },
    dir: { type: 'string' },
    'dead-letters': { type: 'boolean' },
  },
} as const satisfies CommandSpec<OptionSpecs>;

/** The replay's arguments, `{ help: true }` when the usage was asked for, or what is wrong with them. */
export function readReplayArguments(args: readonly string[]): ReplayArguments | { readonly help: true } | string {
  const read = readCommandArguments(args, REPLAY.options);
  if (read.kind === 'help') return { help: true };
  if (read.kind === 'problem') return read.problem;
  const [stray] = read.positionals;
  if (stray !== undefined) return `unexpected argument "${stray}" (replay takes options only)`;
  const { config, stack = null, 'message-id': messageIds = [], prefix, dir, 'dead-letters': deadLetters } = read.values;
  if (config === undefined) return '--config FILE is required (the configuration the stack was deployed with)';
  const sources = [messageIds.length > 0, prefix !== undefined, dir !== undefined, deadLetters === true].filter(
    Boolean,
  ).length;
  if (sources !== 1)
    return 'give exactly one source: --message-id ID (repeatable), --prefix P, --dir DIR or --dead-letters';
  if (prefix !== undefined && !prefix.startsWith('inbound/'))
    return `--prefix: "${prefix}" is not under inbound/ (raw mail lives there)`;
  const source: ReplayArguments['source'] =
    messageIds.length > 0
      ? { kind: 'message-ids', messageIds }
      : prefix !== undefined
        ? { kind: 'prefix', prefix }
        : dir !== undefined
          ? { kind: 'folder', dir }
          : { kind: 'dead-letters' };
  return { config, stack, source };
}

/**
 * The `.eml` files directly in `dir` (not in its subfolders), read whole, by name; every other entry is skipped with a
 * warning. Null once a problem is on stderr: nothing is replayed from a folder that cannot be read in full.
 */
export function readReplayFolder(dir: string, io: Io): ReplaySource | null {
  const problem = (text: string) => {
    io.stderr.write(`acm-mail replay: ${text}\n`);
    return null;
  };
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) {
      return problem(`--dir ${dir}: it is a file, not a folder (give the folder that holds the .eml files)`);
    }
    names = readdirSync(dir).sort();
  } catch (error) {
    return problem(`cannot read --dir ${dir}: ${unreadableReason(dir, error)}`);
  }
  const files: { name: string; bytes: Buffer }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (!name.endsWith('.eml')) {
      const folder = statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
      io.stderr.write(
        `acm-mail replay: skipping ${path}: ${folder ? 'a folder (--dir takes the .eml files directly in it)' : 'not a .eml file'}\n`,
      );
      continue;
    }
    try {
      files.push({ name, bytes: readFileSync(path) });
    } catch (error) {
      return problem(`cannot read ${path}: ${unreadableReason(path, error)} (nothing was replayed)`);
    }
  }
  if (files.length === 0) io.stderr.write(`acm-mail replay: no .eml file in ${dir}\n`);
  return { kind: 'files', files };
}

/**
 * Archived mail is checked against ACM's keys as published now: one retired since the mail arrived cannot be checked
 * (own-dkim-unavailable in the reasons), where live mail with an unpublished key fails. Files from a folder are not
 * SES's archive: their stamp is whoever wrote the file's, so they are checked as strictly as live mail.
 */
export function replayDkimResolver(
  source: ReplaySource,
  dns: TxtResolver = cachedTxtResolver(systemTxtResolver()),
): TxtResolver {
  return source.kind === 'files' ? dns : keysMayBeRetired(dns);
}

/** `replayed 3 of 10` where the number of mails is known beforehand (ids, files), `replayed 3` otherwise. */
export function replayedText(done: number, source: ReplaySource): string {
  const total =
    source.kind === 'message-ids' ? source.messageIds.length : source.kind === 'files' ? source.files.length : null;
  return total === null ? `replayed ${done}` : `replayed ${done} of ${total}`;
}

export async function replayCommand(args: readonly string[], io: Io): Promise<number> {
  const request = readReplayArguments(args);
  if (typeof request === 'string') return usageError(io, REPLAY, request);
  if ('help' in request) return showHelp(io, REPLAY);
  const configuration = configurationFor('replay', request.config, io);
  if (configuration === null) return EXIT.unreadable;
  const source = request.source.kind === 'folder' ? readReplayFolder(request.source.dir, io) : request.source;
  if (source === null) return EXIT.unreadable;
  const parsed = { ...request, source };
  const stackName = parsed.stack ?? configuration.stackName;
  const region = configuration.region;
  const progress = progressOn(io);
  progress.show(`reading the outputs of stack ${stackName}`);
  let outputs: Map<string, string>;
  try {
    const described = await new CloudFormationClient({ region }).send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    outputs = new Map((described.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  } catch (error) {
    progress.clear();
    io.stderr.write(`acm-mail replay: cannot read the outputs of stack ${stackName} in ${region}: ${String(error)}\n`);
    return EXIT.failure;
  }
  progress.clear();
  // Only the outputs replay uses: a stack without the canary (or from before it) has no canary outputs.
  const needed = [
    DEPLOYED_OUTPUTS.archiveBucket,
    DEPLOYED_OUTPUTS.requestTable,
    DEPLOYED_OUTPUTS.approvalsTopic,
    DEPLOYED_OUTPUTS.alertsTopic,
    DEPLOYED_OUTPUTS.deadLetterQueue,
  ];
  const missing = needed.filter((name) => !outputs.get(name));
  if (missing.length > 0) {
    io.stderr.write(
      `acm-mail replay: stack ${stackName} lacks output(s) ${missing.join(', ')}: redeploy this version\n`,
    );
    return EXIT.failure;
  }
  const output = (name: string) => outputs.get(name) as string;
  const clients = awsClients({ region });
  const bucket = output(DEPLOYED_OUTPUTS.archiveBucket);
  const metrics = countingMetrics();
  const router = wiredRouter({
    configuration,
    clients,
    resources: {
      archiveBucket: bucket,
      requestTable: output(DEPLOYED_OUTPUTS.requestTable),
      approvalsTopicArn: output(DEPLOYED_OUTPUTS.approvalsTopic),
      alertsTopicArn: output(DEPLOYED_OUTPUTS.alertsTopic),
      sender: configuration.sender,
      // The stack does not output its probe key: a replayed probe-looking mail fails with an error that says so.
      probeKeySecretArn: null,
      // The stack's bus has a fixed name (eventBusName): a replayed outcome's events go where the router puts them.
      eventBusName: eventBusName(configuration),
    },
    metrics,
    dkimResolver: replayDkimResolver(parsed.source),
  });
  let replayed = 0;
  progress.show(replayedText(replayed, parsed.source));
  const lines = await replay(
    parsed.source,
    {
      router,
      ...archiveReplaySources(clients.s3, bucket, DEFAULT_LIMITS.maxMailBytes + 1),
      receiveDeadLetters: deadLetterQueue(new SQSClient({ region }), output(DEPLOYED_OUTPUTS.deadLetterQueue)),
      recordFor: (messageId, bytes) => sesRecordForStoredMail(messageId, bytes, region, new Date()),
    },
    (line) => {
      progress.clear();
      io.stdout.write(
        `${line.messageId}  ${line.outcome}${line.alreadyRecorded ? ' (already recorded)' : ''}${line.error ? `  ${line.error}` : ''}\n`,
      );
      replayed += 1;
      progress.show(replayedText(replayed, parsed.source));
    },
  );
  progress.clear();
  const failed = lines.filter((line) => line.outcome === 'failed').length;
  io.stdout.write(
    `${JSON.stringify({ replayed: lines.length, alreadyRecorded: lines.filter((l) => l.alreadyRecorded).length, failed })}\n`,
  );
  return failed > 0 ? EXIT.failure : EXIT.ok;
}
