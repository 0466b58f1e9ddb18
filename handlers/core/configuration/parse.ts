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
/** What a problem's path starts with: the configuration file, or the construct's properties. */
export type PathRoot = 'config' | 'props';
type Problem = (path: Path, value: unknown, message: string) => string;

/**
 * Validates `input` (already parsed JSON); `source` names where it came from in the error. `root` names the value in
 * each problem's path: `config` for the file (`config.owners[0].name`), `props` for the construct's properties, so a
 * person reads the name their own code uses.
 */
export function parseConfiguration(input: unknown, source: string, root: PathRoot = 'config'): Configuration {
  const problem = problemUnder(root);
  const parsed = configurationSchema.safeParse(input);
  if (parsed.success) {
    const problems = crossFieldProblems(parsed.data, accountsListPath(input), root);
    if (problems.length > 0) throw new ConfigurationError(source, problems);
    return parsed.data;
  }
  const schemaProblems = parsed.error.issues.map((issue) => {
    // An unknown field's problem is the field's name, not the whole object around it; a bad key's (of a map such as
    // `tags`) is the key itself, which the path ends in.
    const value =
      issue.code === 'unrecognized_keys' || issue.code === 'invalid_key' ? undefined : valueAt(input, issue.path);
    return problem(issue.path, value, describe(issue, value));
  });
  // The checks between fields run too, over the fields that are valid on their own: one run lists every problem,
  // where before a person fixed the schema's problems only to be shown the others next time.
  throw new ConfigurationError(source, [
    ...schemaProblems,
    ...crossFieldProblems(validFields(input), accountsListPath(input), root),
  ]);
}

/** Where the list of accounts sits in the file: `accounts` itself, or `accounts.list` in the object form. */
function accountsListPath(input: unknown): Path {
  const accounts = (input as { accounts?: unknown } | null)?.accounts;
  return Array.isArray(accounts) ? ['accounts'] : ['accounts', 'list'];
}

/** Each top-level field that passes its own schema, with its defaults; a field with a problem is left out. */
function validFields(input: unknown): Partial<Configuration> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return {};
  const fields: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(configurationSchema.shape)) {
    const field = schema.safeParse((input as Record<string, unknown>)[key]);
    if (field.success && field.data !== undefined) fields[key] = field.data;
  }
  return fields as Partial<Configuration>;
}

/**
 * The checks that relate fields to each other. Each runs only when the fields it reads are valid (all of them are,
 * after the schema passed): a check over a field with its own problem would only repeat that problem in other words.
 */
function crossFieldProblems(config: Partial<Configuration>, accountsList: Path, root: PathRoot): string[] {
  const problems: string[] = [];
  const problem = problemUnder(root);
  const pathOf = (path: Path) => formatPath(path, root);
  const report = (path: Path, value: unknown, message: string) => problems.push(problem(path, value, message));
  const { validationDomains, extraInboundAddresses, accounts, owners, routing, fallbackOwner } = config;

  if (validationDomains) {
    reportRepeats(
      validationDomains.map((domain) => domain.name),
      ['validationDomains'],
      'name',
      report,
      pathOf,
    );
  }
  if (accounts) {
    reportRepeats(
      accounts.list.map((account) => account.id),
      accountsList,
      'id',
      report,
      pathOf,
    );
  }
  if (owners) {
    reportRepeats(
      owners.map((owner) => owner.name),
      ['owners'],
      'name',
      report,
      pathOf,
    );
    reportRepeats(
      owners.map((owner) => owner.snsFilterValue),
      ['owners'],
      'snsFilterValue',
      report,
      pathOf,
    );
  }
  if (extraInboundAddresses) {
    reportRepeats(
      extraInboundAddresses.map((address) => address.toLowerCase()),
      ['extraInboundAddresses'],
      null,
      report,
      pathOf,
    );
  }

  validationDomains?.forEach((domain, index) => {
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

  if (validationDomains && extraInboundAddresses) {
    const sesDomains = new Set(validationDomains.filter((d) => d.receive === 'ses').map((d) => d.name));
    const forwarded = validationDomains.filter((domain) => domain.receive === 'forwarded');
    if (forwarded.length > 0 && extraInboundAddresses.length === 0) {
      report(
        ['extraInboundAddresses'],
        extraInboundAddresses,
        `is empty while ${forwarded.map((d) => d.name).join(', ')} is forwarded (expected the address(es) its five mailboxes forward to)`,
      );
    }
    const fiveMailboxes = watchedAddresses({ validationDomains, extraInboundAddresses: [] });
    extraInboundAddresses.forEach((address, index) => {
      if (fiveMailboxes.has(address.toLowerCase())) {
        report(
          ['extraInboundAddresses', index],
          address,
          'is one of the five ACM mailboxes (expected another address)',
        );
      } else if (!sesDomains.has(domainOf(address))) {
        report(
          ['extraInboundAddresses', index],
          address,
          `is not at a validation domain whose mail SES receives (expected a domain among ${[...sesDomains].join(', ') || 'none yet: add one with receive "ses"'})`,
        );
      }
    });
  }

  accounts?.list.forEach((account, index) => {
    if (account.statusRoleArn !== undefined && account.statusRoleArn.split(':')[4] !== account.id) {
      report(
        [...accountsList, index, 'statusRoleArn'],
        account.statusRoleArn,
        `is not a role in account ${account.id} (expected arn:aws:iam::${account.id}:role/<name>)`,
      );
    }
  });

  const ownerNames = owners && new Set(owners.map((owner) => owner.name));
  // With the organisation's accounts read at run time, an account a rule names may be one of them: not checked here.
  const accountIds =
    accounts && accounts.fromOrganization === null ? new Set(accounts.list.map((account) => account.id)) : undefined;
  if (ownerNames && fallbackOwner !== undefined && !ownerNames.has(fallbackOwner)) {
    report(['fallbackOwner'], fallbackOwner, `is not an owner (expected one of ${[...ownerNames].join(', ')})`);
  }
  routing?.forEach((rule, index) => {
    if (ownerNames && !ownerNames.has(rule.owner)) {
      report(
        ['routing', index, 'owner'],
        rule.owner,
        `is not an owner (expected one of ${[...ownerNames].join(', ')})`,
      );
    }
    if (accountIds && rule.accountId !== undefined && !accountIds.has(rule.accountId)) {
      report(
        ['routing', index, 'accountId'],
        rule.accountId,
        `is not one of ${pathOf(['accounts'])} (requests from it are security alerts, never routed to an owner)`,
      );
    }
  });

  // Ticket queues: our sender and an owner's Reply-To are never a queue. A ticket system answers its requester (our
  // sender, or the Reply-To where the system takes it from there) with acknowledgements: into a queue, each would
  // open a ticket that is answered again, a loop no "automatic" header stops now that ticket mail has none.
  const queueAddresses = new Map<string, Path>();
  owners?.forEach((owner, index) => {
    const addresses = owner.ticketQueue.map((queue) => queue.address.toLowerCase());
    reportRepeats(addresses, ['owners', index, 'ticketQueue'], null, report, pathOf);
    addresses.forEach((address, n) => {
      if (!queueAddresses.has(address)) queueAddresses.set(address, ['owners', index, 'ticketQueue', n]);
    });
  });
  const { sender } = config;
  const senderQueue = sender === undefined ? undefined : queueAddresses.get(sender.toLowerCase());
  if (sender !== undefined && senderQueue !== undefined) {
    report(
      ['sender'],
      sender,
      `is also ${pathOf(senderQueue)}: a ticket system would answer its own queue (expected a sender no queue has)`,
    );
  }
  owners?.forEach((owner, index) => {
    const queue = owner.replyTo === undefined ? undefined : queueAddresses.get(owner.replyTo.toLowerCase());
    if (queue !== undefined) {
      report(
        ['owners', index, 'replyTo'],
        owner.replyTo,
        `is also ${pathOf(queue)}: the ticket system's answers to the requester would open tickets (expected a person's or a team's mailbox)`,
      );
    }
  });
  // Zendesk suspends mail from a "noreply" address (Zendesk: "Causes for ticket suspension", "Email from 'noreply'
  // address"): every ticket would wait in its suspended view.
  const zendeskQueue = owners
    ?.flatMap((owner, index) =>
      owner.ticketQueue.map((queue, n): [Path, string] => [['owners', index, 'ticketQueue', n], queue.system]),
    )
    .find(([, system]) => system === 'zendesk');
  if (sender !== undefined && zendeskQueue !== undefined && /^(?:no-?reply|do-?not-?reply)/i.test(sender)) {
    report(
      ['sender'],
      sender,
      `is a "noreply" address, which Zendesk suspends, and ${pathOf(zendeskQueue[0])} is a Zendesk queue (expected a sender such as acm-mail@...)`,
    );
  }

  const { senderIdentity, validationDomains: domainsForSender } = config;
  if (senderIdentity !== undefined && sender !== undefined) {
    const senderDomain = domainOf(sender);
    const zone = senderIdentity.hostedZone;
    if (zone !== undefined && senderDomain !== zone.name && !senderDomain.endsWith(`.${zone.name}`)) {
      report(
        ['senderIdentity', 'hostedZone', 'name'],
        zone.name,
        `cannot hold records for ${senderDomain} (expected ${senderDomain} or one of its parent domains)`,
      );
    }
    const index = domainsForSender?.findIndex((domain) => domain.name === senderDomain) ?? -1;
    if (index >= 0) {
      report(
        ['sender'],
        sender,
        `is at ${pathOf(['validationDomains', index])}, whose identity senderIdentity would create a second time (expected a sender at a domain of its own, e.g. notify.<your domain>, or no senderIdentity)`,
      );
    }
  }

  // Mail we send must never land in a watched mailbox: the router would read its own notification (a loop).
  if (validationDomains && extraInboundAddresses) {
    const watched = watchedAddresses({ validationDomains, extraInboundAddresses });
    const { securityContact, notifications } = config;
    const single: [Path, string | undefined][] = [
      [['sender'], sender],
      [['securityContact'], securityContact],
    ];
    const outgoing: [Path, string][] = [
      ...single.filter((entry): entry is [Path, string] => entry[1] !== undefined),
      ...(owners ?? []).flatMap((owner, index) => [
        ...owner.ticketQueue.map((queue, n): [Path, string] => [
          ['owners', index, 'ticketQueue', n],
          typeof queue === 'string' ? queue : queue.address,
        ]),
        ...(owner.replyTo ? [[['owners', index, 'replyTo'], owner.replyTo] as [Path, string]] : []),
        ...owner.approvalsEmail.map((address, n): [Path, string] => [['owners', index, 'approvalsEmail', n], address]),
        ...owner.digestRecipients.map((address, n): [Path, string] => [
          ['owners', index, 'digestRecipients', n],
          address,
        ]),
      ]),
      ...(notifications?.approvalsEmail ?? []).map((a, n): [Path, string] => [
        ['notifications', 'approvalsEmail', n],
        a,
      ]),
      ...(notifications?.alertsEmail ?? []).map((a, n): [Path, string] => [['notifications', 'alertsEmail', n], a]),
      ...(senderIdentity?.dmarc?.reportsTo
        ? [[['senderIdentity', 'dmarc', 'reportsTo'], senderIdentity.dmarc.reportsTo] as [Path, string]]
        : []),
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
  }
  return problems;
}

function reportRepeats(
  values: readonly string[],
  listPath: Path,
  field: string | null,
  report: (path: Path, value: unknown, message: string) => void,
  pathOf: (path: Path) => string,
): void {
  const firstIndex = new Map<string, number>();
  values.forEach((value, index) => {
    const first = firstIndex.get(value);
    const path = field === null ? [...listPath, index] : [...listPath, index, field];
    if (first === undefined) firstIndex.set(value, index);
    else report(path, value, `repeats ${pathOf(field === null ? [...listPath, first] : [...listPath, first, field])}`);
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
    case 'invalid_key':
      // The key's own check says what is wrong with it.
      return issue.issues[0]?.message ?? issue.message;
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

function problemUnder(root: PathRoot): Problem {
  return (path, value, message) => {
    const shown = value === undefined ? '' : `${truncate(JSON.stringify(value))} `;
    return `${formatPath(path, root)}: ${shown}${message}`;
  };
}

export function formatPath(path: Path, root: PathRoot = 'config'): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    root,
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
