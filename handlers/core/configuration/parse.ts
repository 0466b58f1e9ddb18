/**
 * Validation of a configuration value: the schema first, then the checks that relate fields to each other.
 * Every problem is reported (not just the first), each as `<path>: <value> <what is wrong> (expected ...)`.
 */
import type { core } from 'zod/mini';
import { domainOf } from '../addresses.js';
import { watchedAddresses } from './derived.js';
import { type Configuration, configurationSchema } from './schema.js';

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length} problem(s) in the configuration\n  ${problems.join('\n  ')}`);
  }
}

type Path = readonly PropertyKey[];

/** Validates `input` (already parsed JSON); `source` names where it came from in the error. */
export function parseConfiguration(input: unknown, source: string): Configuration {
  const parsed = configurationSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigurationError(
      source,
      parsed.error.issues.map((issue) => {
        // An unknown field's problem is the field's name, not the whole object around it.
        const value = issue.code === 'unrecognized_keys' ? undefined : valueAt(input, issue.path);
        return problem(issue.path, value, describe(issue, value));
      }),
    );
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) throw new ConfigurationError(source, problems);
  return parsed.data;
}

function crossFieldProblems(config: Configuration): string[] {
  const problems: string[] = [];
  const report = (path: Path, value: unknown, message: string) => problems.push(problem(path, value, message));

  reportRepeats(
    config.validationDomains.map((domain) => domain.name),
    ['validationDomains'],
    'name',
    report,
  );
  reportRepeats(
    config.accounts.map((account) => account.id),
    ['accounts'],
    'id',
    report,
  );
  reportRepeats(
    config.owners.map((owner) => owner.name),
    ['owners'],
    'name',
    report,
  );
  reportRepeats(
    config.owners.map((owner) => owner.snsFilterValue),
    ['owners'],
    'snsFilterValue',
    report,
  );
  reportRepeats(
    config.extraInboundAddresses.map((address) => address.toLowerCase()),
    ['extraInboundAddresses'],
    null,
    report,
  );

  config.validationDomains.forEach((domain, index) => {
    const zone = domain.hostedZone;
    if (domain.receive === 'forwarded' && zone !== undefined) {
      report(
        ['validationDomains', index, 'hostedZone'],
        zone,
        'is set for a forwarded domain (expected none: its MX must stay with the corporate mail system)',
      );
    } else if (zone !== undefined && domain.name !== zone.name && !domain.name.endsWith(`.${zone.name}`)) {
      report(
        ['validationDomains', index, 'hostedZone', 'name'],
        zone.name,
        `cannot hold records for ${domain.name} (expected ${domain.name} or one of its parent domains)`,
      );
    }
  });

  const sesDomains = new Set(config.validationDomains.filter((d) => d.receive === 'ses').map((d) => d.name));
  const forwarded = config.validationDomains.filter((domain) => domain.receive === 'forwarded');
  if (forwarded.length > 0 && config.extraInboundAddresses.length === 0) {
    report(
      ['extraInboundAddresses'],
      config.extraInboundAddresses,
      `is empty while ${forwarded.map((d) => d.name).join(', ')} is forwarded (expected the address(es) its five mailboxes forward to)`,
    );
  }
  const fiveMailboxes = watchedAddresses({ validationDomains: config.validationDomains, extraInboundAddresses: [] });
  config.extraInboundAddresses.forEach((address, index) => {
    if (fiveMailboxes.has(address.toLowerCase())) {
      report(['extraInboundAddresses', index], address, 'is one of the five ACM mailboxes (expected another address)');
    } else if (!sesDomains.has(domainOf(address))) {
      report(
        ['extraInboundAddresses', index],
        address,
        `is not at a validation domain whose mail SES receives (expected a domain among ${[...sesDomains].join(', ') || 'none yet: add one with receive "ses"'})`,
      );
    }
  });

  config.accounts.forEach((account, index) => {
    if (account.statusRoleArn !== undefined && account.statusRoleArn.split(':')[4] !== account.id) {
      report(
        ['accounts', index, 'statusRoleArn'],
        account.statusRoleArn,
        `is not a role in account ${account.id} (expected arn:aws:iam::${account.id}:role/<name>)`,
      );
    }
  });

  const owners = new Set(config.owners.map((owner) => owner.name));
  const accounts = new Set(config.accounts.map((account) => account.id));
  if (!owners.has(config.fallbackOwner)) {
    report(['fallbackOwner'], config.fallbackOwner, `is not an owner (expected one of ${[...owners].join(', ')})`);
  }
  config.routing.forEach((rule, index) => {
    if (!owners.has(rule.owner)) {
      report(['routing', index, 'owner'], rule.owner, `is not an owner (expected one of ${[...owners].join(', ')})`);
    }
    if (rule.accountId !== undefined && !accounts.has(rule.accountId)) {
      report(
        ['routing', index, 'accountId'],
        rule.accountId,
        'is not one of config.accounts (requests from it are security alerts, never routed to an owner)',
      );
    }
  });

  // Mail we send must never land in a watched mailbox: the router would read its own notification (a loop).
  const watched = watchedAddresses(config);
  const outgoing: [Path, string][] = [
    [['sender'], config.sender],
    [['securityContact'], config.securityContact],
    ...config.owners.flatMap((owner, index) => [
      ...owner.ticketQueue.map((address, n): [Path, string] => [['owners', index, 'ticketQueue', n], address]),
      ...owner.approvalsEmail.map((address, n): [Path, string] => [['owners', index, 'approvalsEmail', n], address]),
      ...owner.digestRecipients.map((address, n): [Path, string] => [
        ['owners', index, 'digestRecipients', n],
        address,
      ]),
    ]),
    ...config.notifications.approvalsEmail.map((a, n): [Path, string] => [['notifications', 'approvalsEmail', n], a]),
    ...config.notifications.alertsEmail.map((a, n): [Path, string] => [['notifications', 'alertsEmail', n], a]),
  ];
  for (const [path, address] of outgoing) {
    if (watched.has(address.toLowerCase())) {
      report(
        path,
        address,
        'is a watched address: mail sent there comes back to the router (expected another address)',
      );
    }
  }
  return problems;
}

function reportRepeats(
  values: readonly string[],
  listPath: Path,
  field: string | null,
  report: (path: Path, value: unknown, message: string) => void,
): void {
  const firstIndex = new Map<string, number>();
  values.forEach((value, index) => {
    const first = firstIndex.get(value);
    const path = field === null ? [...listPath, index] : [...listPath, index, field];
    if (first === undefined) firstIndex.set(value, index);
    else
      report(path, value, `repeats ${formatPath(field === null ? [...listPath, first] : [...listPath, first, field])}`);
  });
}

function describe(issue: core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `is missing (expected ${issue.expected})`;
      // zod's own wording starts "Invalid input"; our schema's messages say more (units, ranges).
      return issue.message.startsWith('Invalid input') ? `is not a ${issue.expected}` : issue.message;
    case 'unrecognized_keys':
      return `has unknown field(s) ${issue.keys.map((key) => JSON.stringify(key)).join(', ')} (expected none: see the configuration reference in README.md)`;
    case 'invalid_value':
      return `is not one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union': {
      // A discriminated union names the values it accepts; a plain union only says it matched none.
      const options = 'options' in issue && Array.isArray(issue.options) ? issue.options : [];
      return options.length > 0
        ? `is not one of ${options.map((option) => JSON.stringify(option)).join(', ')}`
        : issue.message;
    }
    default:
      return issue.message;
  }
}

function problem(path: Path, value: unknown, message: string): string {
  const shown = value === undefined ? '' : `${truncate(JSON.stringify(value))} `;
  return `${formatPath(path)}: ${shown}${message}`;
}

export function formatPath(path: Path): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    'config',
  );
}

function valueAt(input: unknown, path: Path): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
