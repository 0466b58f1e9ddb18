/**
 * `acm-mail doctor --config FILE [--stack NAME] [--json] [--probe] [--dns-server IP[:PORT]]...`: checks a live deployment
 * with the shell's credentials, in the configuration's region, and says per check ok or what is wrong and the fix.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { doctorClients } from '../adapters/doctor-clients.js';
import { dynamoDbCanaryStore } from '../adapters/dynamodb-canary-store.js';
import type { Configuration } from '../core/configuration/index.js';
import { mxResolver } from '../doctor/dns-checks.js';
import { type DoctorDeps, makeDoctor } from '../doctor/doctor.js';
import { humanReport, jsonReport } from '../doctor/report.js';
import { type CommandSpec, type OptionSpecs, readCommandArguments, showHelp, usageError } from './arguments.js';
import { configurationFor } from './inputs.js';
import { EXIT, type Io } from './io.js';
import { progressOn } from './progress.js';

export const DOCTOR = {
  name: 'doctor',
  usage: `usage: acm-mail doctor --config FILE [--stack NAME] [--json] [--probe] [--dns-server IP[:PORT]]...

Checks a deployed pipeline with the shell's AWS credentials, in the configuration's region: the account, the stack,
each validation domain's MX, the SES identities (verified, DKIM), the active receipt rule set and its recipients,
the sender and the account's sending status (sandbox, paused), the router's reserved concurrency against the
account's pool, and the mailbox canary's last run per address. Each check says ok, or what is wrong and the fix.

options:
  --config FILE        the configuration the stack was deployed with (required)
  --stack NAME         the stack (default: stackName in the configuration)
  --json               one JSON document: {account, region, stack, passed, checks: [{id, status, detail, fix}]}
  --probe              also send a canary round now and wait for each probe (at most canary.arrivalMinutes)
  --dns-server IP[:PORT]
                       ask this DNS resolver for the MX records (repeatable; default: the system's)
  -h, --help           this help

exit codes: 0 every check passed, 1 a check failed, 2 the configuration could not be read, 64 usage error`,
  options: {
    config: { type: 'string' },
    stack: { type: 'string' },
    json: { type: 'boolean' },
    probe: { type: 'boolean' },
    'dns-server': { type: 'string', multiple: true },
  },
} as const satisfies CommandSpec<OptionSpecs>;

export interface DoctorRequest {
  readonly config: string;
  readonly stack: string | null;
  readonly json: boolean;
  readonly probe: boolean;
  readonly dnsServers: readonly string[];
}

/** How often `--probe` reads the state table while it waits for the probes. */
const POLL_MS = 5_000;

export function readDoctorArguments(args: readonly string[]): DoctorRequest | { readonly help: true } | string {
  const read = readCommandArguments(args, DOCTOR.options);
  if (read.kind === 'help') return { help: true };
  if (read.kind === 'problem') return read.problem;
  const [stray] = read.positionals;
  if (stray !== undefined) return `unexpected argument "${stray}" (doctor takes options only)`;
  const { config, stack = null, json = false, probe = false, 'dns-server': dnsServers = [] } = read.values;
  if (config === undefined) return '--config FILE is required (the configuration the stack was deployed with)';
  return { config, stack, json, probe, dnsServers };
}

/** The doctor's wiring for a shell: real clients, the system clock; the tests replace any of it. */
export function doctorDeps(configuration: Configuration, request: DoctorRequest, io: Io): DoctorDeps {
  const clients = doctorClients({ region: configuration.region });
  const progress = progressOn(io);
  return {
    configuration,
    stackName: request.stack ?? undefined,
    clients,
    dns: mxResolver(request.dnsServers),
    canaryStore: (table) => dynamoDbCanaryStore(clients.dynamodb, table),
    clock: () => new Date(),
    sleep: (ms) => sleep(ms).then(() => undefined),
    pollMs: POLL_MS,
    progress: (text) => progress.show(text),
    onArrival: (address, seconds) => {
      // A line that stays, on a terminal only (as all progress): the arrivals are also in the results.
      if (io.stderr.isTTY !== true) return;
      progress.clear();
      io.stderr.write(`probe arrived: ${address} (${seconds} s)\n`);
      progress.show('waiting for the probes');
    },
  };
}

export async function doctorCommand(args: readonly string[], io: Io): Promise<number> {
  const request = readDoctorArguments(args);
  if (typeof request === 'string') return usageError(io, DOCTOR, request);
  if ('help' in request) return showHelp(io, DOCTOR);
  const configuration = configurationFor('doctor', request.config, io);
  if (configuration === null) return EXIT.unreadable;
  const report = await makeDoctor(doctorDeps(configuration, request, io))({ probe: request.probe });
  progressOn(io).clear();
  io.stdout.write(request.json ? jsonReport(report) : humanReport(report));
  return report.passed ? EXIT.ok : EXIT.failure;
}
