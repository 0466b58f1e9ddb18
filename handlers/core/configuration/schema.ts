/**
 * The one configuration file of a deployment, as a zod schema. Read and validated by `infra/app.ts` at synth time,
 * bundled into each function and validated again at cold start (the same schema, so both agree).
 *
 * Every constraint carries its own message in the form "is not X (expected Y)"; `errors.ts` prefixes the field path
 * and the bad value, so a person reads: `config.validationDomains[2].hostedZone.id: "Z12" is not a hosted zone id
 * (expected Z followed by 1-32 upper-case letters or digits)`.
 */
// zod/mini: the same validation as classic zod in a twentieth of the bundle (21 KB against 454 KB minified), which
// keeps the router's cold start and bundle within their targets.
import * as z from 'zod/mini';
import { apiDestination } from './api-destination.js';
import { SES_RECEIVING_REGIONS } from './ses-regions.js';

/** ACM mails only these local parts of the validation domain (ACM User Guide, email-validation.html). */
export const ACM_MAILBOXES = ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'] as const;

// RFC 1035 LDH labels, at least two of them, lower case so that comparisons elsewhere are plain string equality.
const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// A pragmatic address check: one @, a dot-atom local part, a domain as above. Display names are not allowed here.
const EMAIL_ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ACCOUNT_ID = /^\d{12}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
/** A region's name in any partition (eu-west-1, us-gov-west-1, cn-north-1, ap-southeast-3). */
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
// SES: letters, digits, underscores, dots and dashes; starts and ends with a letter or digit; at most 64 characters.
const SES_RULE_NAME = /^(?=.{1,64}$)[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
// CloudFormation stack names.
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
// EventBridge Scheduler: cron(minutes hours day-of-month month day-of-week year), one of the two days being `?`.
const SCHEDULER_CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
const OWNER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

const TIME_ZONE_MESSAGE = 'is not an IANA time zone (expected a name like "Europe/Berlin" or "UTC")';

const domainName = z
  .string()
  .check(z.regex(DOMAIN_NAME, 'is not a lower-case domain name (expected labels like "example.com")'));
const emailAddress = z
  .string()
  .check(
    z.regex(
      EMAIL_ADDRESS,
      'is not a plain mail address (expected local@domain, domain in lower case, no display name)',
    ),
  );
const accountId = z.string().check(z.regex(ACCOUNT_ID, 'is not an AWS account id (expected 12 digits, as a string)'));
const ownerName = z
  .string()
  .check(z.regex(OWNER_NAME, 'is not an owner name (expected lower-case letters, digits and dashes, at most 64)'));
const days = (what: string) =>
  z
    .int(`is not a whole number of days for ${what}`)
    .check(
      z.minimum(1, `is too short a retention for ${what} (expected 1 to 3650 days)`),
      z.maximum(3650, `is too long a retention for ${what} (expected 1 to 3650 days)`),
    );

const hostedZone = z.strictObject({
  id: z
    .string()
    .check(
      z.regex(HOSTED_ZONE_ID, 'is not a hosted zone id (expected Z followed by 1-32 upper-case letters or digits)'),
    ),
  name: domainName,
});

const validationDomain = z.strictObject({
  /** The validation domain: ACM mails admin@, administrator@, hostmaster@, postmaster@ and webmaster@ of it. */
  name: domainName,
  /**
   * `ses`: its MX points at SES, the five addresses are in the receipt rule. `forwarded`: its MX stays with the
   * corporate mail system, which forwards the five mailboxes to `extraInboundAddresses`.
   */
  receive: z._default(z.enum(['ses', 'forwarded']), 'ses'),
  /** `existing` when the account already has this domain as an SES identity (for sending, say): we then only add MX. */
  identity: z._default(z.enum(['create', 'existing']), 'create'),
  /** When given, the MX and DKIM records are created in this zone; otherwise the stack outputs them to add by hand. */
  hostedZone: z.optional(hostedZone),
  /**
   * For a `forwarded` domain: the canary also mails its five mailboxes at the corporate side, so the forward itself
   * is tested. Turn it off when people read those mailboxes and would see the daily probes. No effect on `ses`
   * domains, whose five mailboxes are always probed. @default true
   */
  probeForwarding: z._default(z.boolean('is not true or false'), true),
});

const ruleSet = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('create'),
    name: z._default(z.string().check(z.regex(SES_RULE_NAME, 'is not a receipt rule set name')), 'acm-validation-mail'),
    /** Activate ours even when another set is active (that set stops receiving). */
    takeOver: z._default(z.boolean(), false),
  }),
  z.strictObject({
    mode: z.literal('existing'),
    name: z.string().check(z.regex(SES_RULE_NAME, 'is not a receipt rule set name')),
    /** Our rules go after this rule of the set; first in the set otherwise. */
    after: z.optional(z.string().check(z.regex(SES_RULE_NAME, 'is not a receipt rule name'))),
  }),
]);

/**
 * The ticket systems whose mail rules we know (README, "Ticket systems"): each gets the headers it needs to make a
 * ticket from the first mail and a comment from the follow-ups, and none of those that make it drop the mail.
 */
export const TICKET_SYSTEMS = ['jira-service-management', 'zendesk', 'servicenow', 'freshdesk', 'mail'] as const;
export type TicketSystem = (typeof TICKET_SYSTEMS)[number];

/** A ticket queue: a plain address (a `mail` queue) or an address with the system behind it. */
const ticketQueue = z.pipe(
  z.union([
    emailAddress,
    z.strictObject({
      address: emailAddress,
      /** @default "mail" */
      system: z._default(z.enum(TICKET_SYSTEMS), 'mail'),
    }),
  ]),
  z.transform((queue): { address: string; system: TicketSystem } =>
    typeof queue === 'string' ? { address: queue, system: 'mail' } : queue,
  ),
);

/** The languages tickets, follow-ups, summaries and the digest are written in. */
export const LOCALES = ['en', 'ja'] as const;

const owner = z.strictObject({
  name: ownerName,
  /** Ticket queues: one ticket mail per approval request to each. */
  ticketQueue: z
    .array(ticketQueue)
    .check(z.minLength(1, 'has no address (expected at least one ticket-queue address)')),
  /** Who receives this owner's digest. */
  digestRecipients: z
    .array(emailAddress)
    .check(z.minLength(1, 'has no address (expected at least one digest recipient)')),
  /** Value of the `owner` message attribute on the approvals topic, for subscription filter policies. */
  snsFilterValue: z
    .string()
    .check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, 'is not a filter value (expected 1-64 letters, digits, dots, dashes)')),
  /** The time zone this owner's tickets and digest show times in. @default digest.timeZone */
  timeZone: z.optional(z.string().check(z.refine(isTimeZone, TIME_ZONE_MESSAGE))),
  /** The language of this owner's tickets, follow-ups, summaries and digest. @default "en" */
  locale: z._default(z.enum(LOCALES), 'en'),
  /** Where replies to this owner's ticket mail go (`Reply-To`), when not to the sender. */
  replyTo: z.optional(emailAddress),
  /**
   * Put the live approval link of this owner's trusted requests into their approvals-topic messages. Off by default:
   * whoever can subscribe to the topic without a filter could read it. When on, the stack's general subscriptions
   * (`notifications.approvalsEmail`) never receive this owner's messages. @default false
   */
  snsApprovalLinks: z._default(z.boolean('is not true or false'), false),
  /** Email subscriptions to the approvals topic that receive this owner's messages only. @default [] */
  approvalsEmail: z._default(z.array(emailAddress), []),
});

const routingRule = z
  .strictObject({
    owner: ownerName,
    /** Matches the request's domain when it equals this suffix or ends with "." + suffix (label boundaries). */
    domainSuffix: z.optional(domainName),
    accountId: z.optional(accountId),
  })
  .check(
    z.refine((rule) => rule.domainSuffix !== undefined || rule.accountId !== undefined, {
      message: 'matches nothing (expected domainSuffix, accountId or both)',
      // Also when another field of the rule has a problem (zod would skip it then): all problems in one run.
      when: ({ value }) => typeof value === 'object' && value !== null,
    }),
  );

const SCHEDULE_EXAMPLE =
  'expected cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 8 ? * MON-FRI *)';

const schedulerCron = () =>
  z.string().check(
    z.superRefine((expression, context) => {
      const fields = SCHEDULER_CRON.exec(expression);
      if (fields === null) {
        context.addIssue({
          code: 'custom',
          message: `is not an EventBridge Scheduler cron expression (${SCHEDULE_EXAMPLE})`,
        });
      } else if ((fields[3] === '?') === (fields[5] === '?')) {
        context.addIssue({
          code: 'custom',
          message: `leaves both or neither of day-of-month and day-of-week as "?" (${SCHEDULE_EXAMPLE})`,
        });
      }
    }),
  );

const digest = z.strictObject({
  schedule: schedulerCron(),
  /** How far back the digest looks for windows that closed without approval and for security events. */
  lookbackDays: z._default(
    z
      .int('is not a whole number of days')
      .check(z.minimum(1, 'is below 1 (expected 1 to 90 days)'), z.maximum(90, 'is above 90 (expected 1 to 90 days)')),
    7,
  ),
  /** Send an owner a digest even when nothing is open for them. */
  sendEmpty: z._default(z.boolean(), false),
  timeZone: z.string().check(z.refine(isTimeZone, TIME_ZONE_MESSAGE)),
});

const ROLE_ARN = /^arn:aws(-cn|-us-gov|-eusc)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const roleArn = z
  .string()
  .check(z.regex(ROLE_ARN, 'is not an IAM role ARN (expected arn:aws:iam::<account>:role/<name>)'));

const namedAccount = z.strictObject({
  id: accountId,
  name: z.string().check(z.minLength(1, 'is empty (expected the account name)'), z.maxLength(64, 'is longer than 64')),
  /**
   * A read-only role in that account allowed `acm:DescribeCertificate`: the digest then asks ACM whether a
   * request's certificate is already issued or renewed. Without one the digest says the status is unknown.
   */
  statusRoleArn: z.optional(roleArn),
});

/** Where the router and digest read the organisation's accounts (README, "Accounts from AWS Organizations"). */
const organizationAccounts = z.strictObject({
  /**
   * A role in the management or delegated-administrator account allowed `organizations:ListAccounts`,
   * `ListAccountsForParent` and `ListOrganizationalUnitsForParent`. @default none: the functions ask Organizations
   * with their own role (the stack must then run in the management or delegated-administrator account)
   */
  roleArn: z.optional(roleArn),
  /**
   * Only the active accounts in these organisational units (and the units below them). @default every active
   * account of the organisation
   */
  ous: z.optional(
    z
      .array(
        z
          .string()
          .check(
            z.regex(
              /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/,
              'is not an organisational unit or root id (expected ou-xxxx-xxxxxxxx or r-xxxx)',
            ),
          ),
      )
      .check(z.minLength(1, 'is empty (leave "ous" out for the whole organisation)')),
  ),
});

export interface NamedAccount {
  readonly id: string;
  readonly name: string;
  readonly statusRoleArn?: string | undefined;
}

/** The accounts as every reader sees them: the listed ones, and where to ask for the organisation's. */
export interface OurAccounts {
  readonly list: readonly NamedAccount[];
  readonly fromOrganization: OrganizationAccounts | null;
}

export interface OrganizationAccounts {
  readonly roleArn?: string | undefined;
  readonly ous?: readonly string[] | undefined;
}

/**
 * The mailbox canary: on its schedule it mails a signed probe to every watched address and raises an alert for each
 * probe the router has not recorded within `arrivalMinutes` (README, "The mailbox canary").
 */
const canary = z.strictObject({
  /** @default true */
  enabled: z._default(z.boolean('is not true or false'), true),
  /**
   * When the probes go out, in `timeZone`: every day (or more often), since the per-address alarms and `acm-mail
   * doctor` expect a probe a day. @default "cron(0 6 * * ? *)": daily at 06:00
   */
  schedule: z._default(
    schedulerCron().check(
      z.refine((expression) => {
        const fields = SCHEDULER_CRON.exec(expression);
        if (fields === null) return true; // schedulerCron says what is wrong
        const [, , , dayOfMonth, month, dayOfWeek, year] = fields;
        const everyDay = (dayOfMonth === '*' && dayOfWeek === '?') || (dayOfMonth === '?' && dayOfWeek === '*');
        return everyDay && month === '*' && year === '*';
      }, 'runs less often than every day (expected e.g. cron(0 6 * * ? *): the per-address alarms and acm-mail doctor expect a probe every day)'),
    ),
    'cron(0 6 * * ? *)',
  ),
  /** @default digest.timeZone */
  timeZone: z.optional(z.string().check(z.refine(isTimeZone, TIME_ZONE_MESSAGE))),
  /** How long a probe may take to arrive before its address is reported dark. @default 30 */
  arrivalMinutes: z._default(
    z
      .int('is not a whole number of minutes')
      .check(
        z.minimum(5, 'is below 5 (expected 5 to 720 minutes)'),
        z.maximum(720, 'is above 720 (expected 5 to 720 minutes)'),
      ),
    30,
  ),
});

export const configurationSchema = z.strictObject({
  /** Editors may point at a JSON schema; ignored here. */
  $schema: z.optional(z.string()),
  stackName: z._default(
    z
      .string()
      .check(
        z.regex(STACK_NAME, 'is not a CloudFormation stack name (expected a letter, then letters, digits, dashes)'),
      ),
    'AcmValidationMail',
  ),
  /** The AWS account to deploy to; when absent the stack is environment-agnostic in that respect. */
  account: z.optional(accountId),
  region: z
    .string()
    .check(
      z.refine(
        (region) => (SES_RECEIVING_REGIONS as readonly string[]).includes(region),
        `is not a region where SES receives mail (expected one of ${SES_RECEIVING_REGIONS.join(', ')})`,
      ),
    ),
  validationDomains: z
    .array(validationDomain)
    .check(z.minLength(1, 'is empty (expected at least one validation domain)')),
  /** Addresses at an SES-receiving validation domain that the corporate mail system forwards the five mailboxes to. */
  extraInboundAddresses: z._default(z.array(emailAddress), []),
  ruleSet,
  /**
   * The organisation's own AWS accounts: a request from any other account is a security alert. Either a list, or
   * `{ "fromOrganization": {...}, "list": [...] }`: the organisation's active accounts from AWS Organizations, plus
   * the listed ones (which name accounts and may add accounts outside the organisation). README, "Accounts from AWS
   * Organizations".
   */
  accounts: z.pipe(
    z.union([
      z.array(namedAccount).check(z.minLength(1, 'is empty (expected the organisation accounts)')),
      // The object form is also what a parsed configuration holds, so the bundled copy validates again at cold start
      // (`fromOrganization: null`: the list alone).
      z
        .strictObject({
          fromOrganization: z.nullable(organizationAccounts),
          /** @default [] */
          list: z._default(z.array(namedAccount), []),
        })
        .check(
          z.refine((accounts) => accounts.fromOrganization !== null || accounts.list.length > 0, {
            message: 'names no account (expected a list, fromOrganization, or both)',
          }),
        ),
    ]),
    z.transform(
      (accounts): OurAccounts =>
        Array.isArray(accounts)
          ? { list: accounts, fromOrganization: null }
          : { list: accounts.list, fromOrganization: accounts.fromOrganization },
    ),
  ),
  owners: z.array(owner).check(z.minLength(1, 'is empty (expected at least one owner)')),
  routing: z._default(z.array(routingRule), []),
  fallbackOwner: ownerName,
  securityContact: emailAddress,
  /** Verified SES identity (address or its domain) that every outgoing mail is sent from. */
  sender: emailAddress,
  /**
   * Makes the stack create the SES identity of the sender's domain with Easy DKIM and a custom MAIL FROM domain, so
   * that SPF, DKIM and DMARC align with the From domain (README, "Sender domain: SPF, DKIM, DMARC"). @default none:
   * the sender's identity is made outside this stack
   */
  senderIdentity: z.optional(
    z.strictObject({
      /** The MAIL FROM domain is this label under the sender's domain. @default "bounce" */
      mailFromSubdomain: z._default(
        z
          .string()
          .check(
            z.regex(
              /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
              'is not one lower-case DNS label (expected a name like "bounce")',
            ),
          ),
        'bounce',
      ),
      /** When given, the DKIM, MAIL FROM and DMARC records are created in this zone; otherwise stack outputs. */
      hostedZone: z.optional(hostedZone),
      /** A DMARC record for the sender's domain. @default none: outputs the recommended one */
      dmarc: z.optional(
        z.strictObject({
          policy: z.enum(['none', 'quarantine', 'reject']),
          /** Where aggregate reports go (`rua`); never a watched mailbox. */
          reportsTo: z.optional(emailAddress),
        }),
      ),
    }),
  ),
  digest,
  retention: z.strictObject({
    rawMailDays: days('raw mail'),
    quarantinedMailDays: days('quarantined mail'),
    /** How long request and outcome records stay in the state table after their approval window (TTL). */
    stateDays: z._default(days('state records'), 400),
  }),
  /** Mail that is not ACM's (bounces, DMARC reports, spam to postmaster@): only recorded, or also summarised. */
  notAcm: z._default(
    z.strictObject({
      mode: z._default(z.enum(['record', 'summarise']), 'record'),
      /** Summaries to the fallback owner's ticket queue per hour at most; the rest are only recorded. */
      maxSummariesPerHour: z._default(
        z
          .int('is not a whole number')
          .check(
            z.minimum(1, 'is below 1 (expected 1 to 1000; use mode "record" for none)'),
            z.maximum(1000, 'is above 1000 (expected 1 to 1000)'),
          ),
        10,
      ),
    }),
    { mode: 'record', maxSummariesPerHour: 10 },
  ),
  router: z._default(
    z.strictObject({
      /** Caps concurrent router runs so that a flood of mail cannot run up cost. */
      reservedConcurrency: z._default(
        z
          .int('is not a whole number')
          .check(
            z.minimum(1, 'would stop the router (expected 1 to 1000)'),
            z.maximum(1000, 'is more than a mail flood deserves (expected 1 to 1000)'),
          ),
        10,
      ),
    }),
    { reservedConcurrency: 10 },
  ),
  /**
   * Tags on every resource of the stack (cost allocation, ownership). At most 50, as AWS allows per resource (the
   * stack adds none of its own). @default {}
   */
  tags: z._default(
    z
      .record(
        z
          .string()
          .check(
            z.regex(
              /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
              'is not a tag key (expected 1-128 letters, digits, spaces and _.:/=+-@, not starting with "aws:")',
            ),
          ),
        z
          .string()
          .check(
            z.regex(
              /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u,
              'is not a tag value (expected at most 256 letters, digits, spaces and _.:/=+-@)',
            ),
          ),
      )
      .check(z.refine((tags) => Object.keys(tags).length <= 50, 'has more than 50 tags (expected at most 50)')),
    {},
  ),
  /**
   * The central event bus (README, "Events out" and "ACM events from every account"): ACM's events come in from the
   * member accounts, the product's events go out. @default {}: the bus admits the listed accounts only
   */
  events: z._default(
    z.strictObject({
      /**
       * The AWS Organizations organisation whose accounts may put events on the bus (`aws:PrincipalOrgID`).
       * @default none: only the accounts in `accounts.list` may
       */
      organizationId: z.optional(
        z
          .string()
          .check(z.regex(/^o-[a-z0-9]{10,32}$/, 'is not an organisation id (expected o- and 10-32 letters or digits)')),
      ),
      /**
       * Sends the product's events to a ticket system's HTTPS API (README, "Events out": API destinations).
       * @default none
       */
      apiDestination: z.optional(apiDestination),
    }),
    {},
  ),
  /**
   * The certificate estate (README, "Moving off email validation"): where `acm-mail estate` and the digest's estate
   * section list every account's certificates through its status role. @default {}: the configuration's region and
   * us-east-1, the validation domains' hosted zones only
   */
  estate: z._default(
    z.strictObject({
      /**
       * The regions to list in every account. @default the configuration's region and us-east-1 (where CloudFront's
       * certificates must live)
       */
      regions: z.optional(
        z
          .array(
            z
              .string()
              .check(z.regex(AWS_REGION, 'is not an AWS region name (expected a name like eu-west-1 or us-east-1)')),
          )
          .check(z.minLength(1, 'is empty (leave "regions" out for the default)')),
      ),
      /**
       * Route 53 hosted zones, besides the validation domains' ones, whose names can be validated by DNS through
       * this configuration: a name under one of them is "ready" to move off email validation. @default []
       */
      hostedZones: z._default(z.array(hostedZone), []),
      /**
       * Roles in the central account that may assume each member account's status role for `acm-mail estate` (an
       * operator's role; `*` allowed in the name, e.g. an IAM Identity Center role). @default []: only the central
       * stack's functions may
       */
      readerRoleArns: z._default(
        z.array(
          z
            .string()
            .check(
              z.regex(
                /^arn:aws(-cn|-us-gov|-eusc)?:iam::\d{12}:role\/[\w+=,.@/*-]{1,512}$/,
                'is not an IAM role ARN or pattern (expected arn:aws:iam::<account>:role/<name>, * allowed in the name)',
              ),
            ),
        ),
        [],
      ),
    }),
    { hostedZones: [], readerRoleArns: [] },
  ),
  canary: z._default(canary, { enabled: true, schedule: 'cron(0 6 * * ? *)', arrivalMinutes: 30 }),
  notifications: z._default(
    z.strictObject({
      /** Email subscriptions to the approvals topic (each must confirm). */
      approvalsEmail: z._default(z.array(emailAddress), []),
      /** Email subscriptions to the alerts topic (security and operations). */
      alertsEmail: z._default(z.array(emailAddress), []),
    }),
    { approvalsEmail: [], alertsEmail: [] },
  ),
});

export type ConfigurationInput = z.input<typeof configurationSchema>;
export type Configuration = z.output<typeof configurationSchema>;
export type ValidationDomain = Configuration['validationDomains'][number];
export type Owner = Configuration['owners'][number];
export type RoutingRule = Configuration['routing'][number];
export type TicketQueue = Owner['ticketQueue'][number];
export type Locale = (typeof LOCALES)[number];

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
