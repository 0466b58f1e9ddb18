/**
 * `acm-mail estate --config FILE [--json | --csv] [--out FILE] [--stack NAME] [--no-mail-history]
 * [--concurrency N]`: every configured account's certificates in the configured regions, through each account's
 * read-only status role (shell credentials must be allowed to assume it), with the approval mail the deployed
 * pipeline has seen for each, and the way off email validation for each email-validated one.
 */
import { writeFileSync } from 'node:fs';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';
import { acmEstateLister, estateAcmClients } from '../adapters/acm-estate-lister.js';
import { dynamoDbMailHistory } from '../adapters/dynamodb-mail-history.js';
import type { Configuration } from '../core/configuration/index.js';
import { DEPLOYED_OUTPUTS } from '../core/deployment-contract.js';
import { estateCsvOf, estateJson, estateText } from '../core/estate/output.js';
import { estateAccounts, knownHostedZones } from '../core/estate/scope.js';
import { makeEstate } from '../estate/estate.js';
import type { ApprovalMailHistory, CertificateLister } from '../ports/estate.js';
import { type CommandSpec, type OptionSpecs, readCommandArguments, showHelp, usageError } from './arguments.js';
import { estateProgressText } from './estate-output.js';
import { configurationFor } from './inputs.js';
import { EXIT, type Io } from './io.js';
import { progressOn } from './progress.js';

/** The SDK's words when the shell has no credentials at all (its credential provider chain found none). */
const NO_CREDENTIALS = /CredentialsProviderError|Could not load credentials from any providers/;

export const ESTATE = {
  name: 'estate',
  usage: `usage: acm-mail estate --config FILE [--json | --csv] [--out FILE] [--stack NAME] [--no-mail-history]
                      [--concurrency N]

Lists every configured account's ACM certificates in the configured regions (estate.regions; default: the
configuration's region and us-east-1) through each account's read-only status role (accounts[].statusRoleArn),
with the shell's AWS credentials. For each certificate: names, validation method per name, status, expiry, what uses
it, renewal, and whether the deployed pipeline has received approval mail for it (the stack's state table). For each
email-validated certificate: whether it can move to DNS validation now (every name in a known Route 53 hosted zone)
and the AWS CLI commands to move it. An account whose role cannot be assumed is reported; the others are listed.

options:
  --config FILE        the configuration (required)
  --json               one JSON document: the certificates, each with its advice, and what was not listed
  --csv                one row per certificate, for spreadsheets (README, "Moving off email validation")
  --out FILE           write the report to FILE instead of stdout
  --stack NAME         the stack whose state table holds the approval mail seen (default: stackName)
  --no-mail-history    do not read the state table (approval mail seen is then unknown)
  --concurrency N      accounts listed at once, 1 to 16 (default: 4)
  -h, --help           this help

exit codes: 0 every account and region listed, 1 some could not be listed (named on stderr; the rest is in the
            report), 2 the configuration could not be read or --out could not be written, 64 usage error`,
  options: {
    config: { type: 'string' },
    json: { type: 'boolean' },
    csv: { type: 'boolean' },
    out: { type: 'string' },
    stack: { type: 'string' },
    'no-mail-history': { type: 'boolean' },
    concurrency: { type: 'string' },
  },
} as const satisfies CommandSpec<OptionSpecs>;

export interface EstateRequest {
  readonly config: string;
  readonly format: 'text' | 'json' | 'csv';
  readonly out: string | null;
  readonly stack: string | null;
  readonly mailHistory: boolean;
  readonly concurrency: number;
}

/** What the command talks to; the tests point it at local stubs. */
export interface EstateWiring {
  readonly lister: CertificateLister;
  /** Null: the state table could not be found (the reason is in `historyNote`). */
  readonly history: ApprovalMailHistory | null;
  readonly historyNote?: string;
  readonly clock: () => Date;
}

export function readEstateArguments(args: readonly string[]): EstateRequest | { readonly help: true } | string {
  const read = readCommandArguments(args, ESTATE.options);
  if (read.kind === 'help') return { help: true };
  if (read.kind === 'problem') return read.problem;
  const [stray] = read.positionals;
  if (stray !== undefined) return `unexpected argument "${stray}" (estate takes options only)`;
  const { config, json = false, csv = false, out = null, stack = null } = read.values;
  if (config === undefined) return '--config FILE is required (its accounts, status roles and regions are listed)';
  if (json && csv) return '--json and --csv cannot both be given (choose one format)';
  const concurrency = read.values.concurrency === undefined ? 4 : Number(read.values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    return `--concurrency: "${read.values.concurrency}" is not a whole number from 1 to 16`;
  }
  return {
    config,
    format: json ? 'json' : csv ? 'csv' : 'text',
    out,
    stack,
    mailHistory: read.values['no-mail-history'] !== true,
    concurrency,
  };
}

/** The shell's wiring: STS and ACM with the shell's credentials, the state table named by the stack's outputs. */
async function shellWiring(configuration: Configuration, request: EstateRequest): Promise<EstateWiring> {
  const region = configuration.region;
  const lister = acmEstateLister({ sts: new STSClient({ region }), acmClient: estateAcmClients() });
  const clock = () => new Date();
  if (!request.mailHistory) return { lister, history: null, historyNote: 'not read (--no-mail-history)', clock };
  const stackName = request.stack ?? configuration.stackName;
  try {
    const described = await new CloudFormationClient({ region }).send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    const table = described.Stacks?.[0]?.Outputs?.find(
      (o) => o.OutputKey === DEPLOYED_OUTPUTS.requestTable,
    )?.OutputValue;
    if (!table) {
      return {
        lister,
        history: null,
        historyNote: `stack ${stackName} has no output ${DEPLOYED_OUTPUTS.requestTable}`,
        clock,
      };
    }
    return { lister, history: dynamoDbMailHistory(new DynamoDBClient({ region }), table), clock };
  } catch (error) {
    return {
      lister,
      history: null,
      historyNote: `cannot read the outputs of stack ${stackName} in ${region}: ${error instanceof Error ? error.message : String(error)}`,
      clock,
    };
  }
}

export async function estateCommand(args: readonly string[], io: Io, wiring?: EstateWiring): Promise<number> {
  const request = readEstateArguments(args);
  if (typeof request === 'string') return usageError(io, ESTATE, request);
  if ('help' in request) return showHelp(io, ESTATE);
  const configuration = configurationFor('estate', request.config, io);
  if (configuration === null) return EXIT.unreadable;
  const progress = progressOn(io);
  const total = estateAccounts(configuration).length;
  // No credentials fail every account the same way: said once, as what to do, not once per account.
  let noCredentialsSaid = false;
  progress.show('reading the state table for approval mail seen');
  const wired = wiring ?? (await shellWiring(configuration, request));
  const report = await makeEstate({
    configuration,
    lister: wired.lister,
    history: wired.history ?? undefined,
    clock: wired.clock,
    concurrency: request.concurrency,
    onProgress: (step) => {
      const text = estateProgressText(step, total);
      if (text !== null) progress.show(text);
      if (step.kind === 'account-done' && step.problems.length > 0) {
        // What could not be listed is said whatever stderr is: a partial estate must never pass for a whole one.
        progress.clear();
        for (const problem of step.problems) {
          if (NO_CREDENTIALS.test(problem.reason)) {
            if (!noCredentialsSaid) {
              io.stderr.write(
                'acm-mail estate: no AWS credentials in this shell, so no status role can be assumed: set AWS_PROFILE ' +
                  '(or the AWS_ACCESS_KEY_ID family) to a role estate.readerRoleArns names, then run again\n',
              );
            }
            noCredentialsSaid = true;
            continue;
          }
          io.stderr.write(
            `acm-mail estate: ${problem.accountName} (${problem.accountId})${problem.region ? ` ${problem.region}` : ''} not listed: ${problem.reason}\n`,
          );
        }
      }
    },
  })();
  progress.clear();
  const withNote = wired.history === null ? { ...report, mailHistoryNote: wired.historyNote ?? 'not read' } : report;
  const zones = knownHostedZones(configuration);
  const now = wired.clock();
  const body =
    request.format === 'json'
      ? estateJson(withNote, zones, now)
      : request.format === 'csv'
        ? estateCsvOf(withNote, zones, now)
        : estateText(withNote, zones, now);
  if (request.out === null) io.stdout.write(body);
  else {
    try {
      writeFileSync(request.out, body);
    } catch (error) {
      io.stderr.write(
        `acm-mail estate: --out ${request.out}: cannot write: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return EXIT.unreadable;
    }
    io.stdout.write(`written ${request.out}: ${withNote.certificates.length} certificates\n`);
  }
  return withNote.unlisted.length > 0 ? EXIT.failure : EXIT.ok;
}
