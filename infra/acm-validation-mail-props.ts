/**
 * The construct's properties: the configuration file's fields, as readonly TypeScript. Same names, same meaning, the
 * same validation (`parseConfiguration` with the `props` root) and the same defaults as the file.
 *
 * The doc comments here are the one source of the props reference in README.md and of the descriptions in
 * infra/config/configuration.schema.json (`npm run generate:reference`); the zod schema in
 * handlers/core/configuration/schema.ts is the one source of the structure and the checks.
 * test/infra/props-match-schema.ts fails to compile when this interface and the schema's input type disagree.
 */

/** The ticket systems whose mail rules we know (README, "Ticket systems"). */
export type TicketSystemName = 'jira-service-management' | 'zendesk' | 'servicenow' | 'freshdesk' | 'mail';

export interface HostedZoneProps {
  /** The Route 53 hosted zone id, `Z` followed by 1-32 upper-case letters or digits. */
  readonly id: string;
  /** The zone's domain name: the domain itself or one of its parents. */
  readonly name: string;
}

export interface ValidationDomainProps {
  /** The validation domain: ACM mails admin@, administrator@, hostmaster@, postmaster@ and webmaster@ of it. */
  readonly name: string;
  /**
   * `ses`: its MX points at SES, the five addresses are in the receipt rule. `forwarded`: its MX stays with the
   * corporate mail system, which forwards the five mailboxes to `extraInboundAddresses`.
   * @default "ses"
   */
  readonly receive?: 'ses' | 'forwarded';
  /**
   * `existing` when the account already has this domain as an SES identity (for sending, say): only MX is added.
   * @default "create"
   */
  readonly identity?: 'create' | 'existing';
  /**
   * The zone the MX and DKIM records are created in. Not for a `forwarded` domain.
   * @default - none: the stack outputs the records to add by hand
   */
  readonly hostedZone?: HostedZoneProps;
  /**
   * For a `forwarded` domain: the canary also mails its five mailboxes at the corporate side, so the forward itself
   * is tested. Turn it off when people read those mailboxes and would see the daily probes. No effect on `ses`
   * domains, whose five mailboxes are always probed.
   * @default true
   */
  readonly probeForwarding?: boolean;
}

/** A new receipt rule set, made and activated by the stack. */
export interface CreatedRuleSetProps {
  /** `create`: the stack makes the set and activates it safely (README, "Safe rule-set activation"). */
  readonly mode: 'create';
  /**
   * The new set's name.
   * @default "acm-validation-mail"
   */
  readonly name?: string;
  /**
   * Activate ours even when another set is active (that set stops receiving).
   * @default false
   */
  readonly takeOver?: boolean;
}

/** Our rules added to a receipt rule set the account already has. */
export interface ExistingRuleSetProps {
  /** `existing`: our rules go into a set the account already has; its activation is left alone. */
  readonly mode: 'existing';
  /** The existing set's name. */
  readonly name: string;
  /**
   * Our rules go after this rule of the set.
   * @default - first in the set
   */
  readonly after?: string;
}

export interface TicketQueueProps {
  /** The queue's mail address. */
  readonly address: string;
  /**
   * The ticket system behind the address: its ticket mail gets that system's headers (README, "Ticket systems").
   * @default "mail"
   */
  readonly system?: TicketSystemName;
}

export interface OwnerProps {
  /** Lower-case letters, digits and dashes, at most 64: what routing rules and `fallbackOwner` name. */
  readonly name: string;
  /** Ticket queues: one ticket mail per approval request to each. A plain address is a `mail` queue. */
  readonly ticketQueue: readonly (string | TicketQueueProps)[];
  /** Who receives this owner's digest. */
  readonly digestRecipients: readonly string[];
  /** Value of the `owner` message attribute on the approvals topic, for subscription filter policies. */
  readonly snsFilterValue: string;
  /**
   * The time zone this owner's tickets and digest show times in.
   * @default - digest.timeZone
   */
  readonly timeZone?: string;
  /**
   * The language of this owner's tickets, follow-ups, summaries and digest.
   * @default "en"
   */
  readonly locale?: 'en' | 'ja';
  /**
   * Where replies to this owner's ticket mail go (`Reply-To`).
   * @default - the sender
   */
  readonly replyTo?: string;
  /**
   * Put the live approval link of this owner's trusted requests into their approvals-topic messages. Off by default:
   * whoever can subscribe to the topic without a filter could read it. When on, the stack's general subscriptions
   * (`notifications.approvalsEmail`) never receive this owner's messages.
   * @default false
   */
  readonly snsApprovalLinks?: boolean;
  /**
   * Email subscriptions to the approvals topic that receive this owner's messages only.
   * @default []
   */
  readonly approvalsEmail?: readonly string[];
}

export interface RoutingRuleProps {
  /** The owner this rule routes to. */
  readonly owner: string;
  /**
   * Matches the request's domain when it equals this suffix or ends with "." + suffix (label boundaries:
   * `example.com` matches `shop.example.com`, never `badexample.com`).
   * @default - any domain (then `accountId` is required)
   */
  readonly domainSuffix?: string;
  /**
   * Matches requests for certificates in this account.
   * @default - any account (then `domainSuffix` is required)
   */
  readonly accountId?: string;
}

export interface NamedAccountProps {
  /** 12 digits, as a string. */
  readonly id: string;
  /** The account's name, shown in tickets and the digest (1-64 characters). */
  readonly name: string;
  /**
   * A read-only role in that account allowed `acm:DescribeCertificate` and `acm:ListCertificates` (the member-account
   * stack creates it as `<stackName>-acm-status`): the digest asks ACM whether a request's certificate is already
   * issued or renewed and lists the account's estate, the events handler whether a certificate due for renewal is
   * email-validated, `acm-mail estate` the account's certificates.
   * @default - none: the digest says the status is unknown; the account is left out of the estate
   */
  readonly statusRoleArn?: string;
}

export interface OrganizationAccountsProps {
  /**
   * A role in the management or delegated-administrator account allowed `organizations:ListAccounts`,
   * `ListAccountsForParent` and `ListOrganizationalUnitsForParent`.
   * @default - none: the functions ask Organizations with their own role (the stack must then run in the management
   * or delegated-administrator account)
   */
  readonly roleArn?: string;
  /**
   * Only the active accounts in these organisational units (and the units below them).
   * @default - every active account of the organisation
   */
  readonly ous?: readonly string[];
}

/** The organisation's accounts from AWS Organizations, plus listed ones (README, "Accounts from AWS Organizations"). */
export interface AccountsFromOrganizationProps {
  /** Where to read the organisation's accounts; `null` for the list alone. */
  readonly fromOrganization: OrganizationAccountsProps | null;
  /**
   * Accounts named here (and accounts outside the organisation).
   * @default []
   */
  readonly list?: readonly NamedAccountProps[];
}

export interface SenderIdentityProps {
  /**
   * The MAIL FROM domain is this label under the sender's domain.
   * @default "bounce"
   */
  readonly mailFromSubdomain?: string;
  /**
   * The zone the DKIM, MAIL FROM and DMARC records are created in.
   * @default - none: the stack outputs the records
   */
  readonly hostedZone?: HostedZoneProps;
  /**
   * A DMARC record for the sender's domain.
   * @default - none: the stack outputs the recommended one
   */
  readonly dmarc?: DmarcProps;
}

export interface DmarcProps {
  /** The DMARC policy (`p=`) for mail that fails alignment. */
  readonly policy: 'none' | 'quarantine' | 'reject';
  /**
   * Where aggregate reports go (`rua`); never a watched mailbox.
   * @default - no aggregate reports
   */
  readonly reportsTo?: string;
}

export interface DigestProps {
  /** EventBridge Scheduler cron expression in `timeZone`, e.g. `cron(0 8 ? * MON-FRI *)`. */
  readonly schedule: string;
  /**
   * How far back the digest looks for windows that closed without approval and for security events (1-90 days).
   * @default 7
   */
  readonly lookbackDays?: number;
  /**
   * Send an owner a digest even when nothing is open for them.
   * @default false
   */
  readonly sendEmpty?: boolean;
  /** IANA time zone of the schedule, and of owners that name none. */
  readonly timeZone: string;
}

export interface RetentionProps {
  /** Days the raw mail stays in the archive (1-3650). */
  readonly rawMailDays: number;
  /** Days quarantined copies stay in the archive (1-3650). */
  readonly quarantinedMailDays: number;
  /**
   * Days request and outcome records stay in the state table after their approval window (TTL, 1-3650).
   * @default 400
   */
  readonly stateDays?: number;
}

export interface NotAcmProps {
  /**
   * Mail that is not ACM's (bounces, DMARC reports, spam to postmaster@): only recorded, or also summarised.
   * @default "record"
   */
  readonly mode?: 'record' | 'summarise';
  /**
   * Summaries to the fallback owner's ticket queue per hour at most (1-1000); the rest are only recorded.
   * @default 10
   */
  readonly maxSummariesPerHour?: number;
}

export interface RouterProps {
  /**
   * Caps concurrent router runs so that a flood of mail cannot run up cost (1-1000).
   * @default 10
   */
  readonly reservedConcurrency?: number;
}

export interface EventsProps {
  /**
   * The AWS Organizations organisation whose accounts may put events on the central bus (`aws:PrincipalOrgID`).
   * @default - none: only the accounts in `accounts` may
   */
  readonly organizationId?: string;
  /**
   * Sends the product's events to a ticket system's HTTPS API (README, "Events out": API destinations).
   * @default - none
   */
  readonly apiDestination?: ApiDestinationProps;
}

/** An API key sent in a header; the key is the JSON field `secretField` of a Secrets Manager secret you create. */
export interface ApiKeyAuthorizationProps {
  /** `apiKey`: the credential is sent in a header. */
  readonly type: 'apiKey';
  /** The header, e.g. `Authorization` or `X-Api-Key`. */
  readonly headerName: string;
  /** The secret's ARN (with the 6 characters Secrets Manager adds). */
  readonly secretArn: string;
  /**
   * The JSON key of the secret's value that holds the key.
   * @default "apiKey"
   */
  readonly secretField?: string;
}

/** HTTP basic: Zendesk's `<email>/token` and API token, Jira's account e-mail and API token. */
export interface BasicAuthorizationProps {
  /** `basic`: HTTP basic authentication. */
  readonly type: 'basic';
  /** The user name (at most 512 characters). */
  readonly username: string;
  /** The secret's ARN (with the 6 characters Secrets Manager adds). */
  readonly secretArn: string;
  /**
   * The JSON key of the secret's value that holds the password or token.
   * @default "password"
   */
  readonly secretField?: string;
}

export interface ApiDestinationProps {
  /** The HTTPS endpoint (no user or password in it); at most 2048 characters. */
  readonly endpoint: string;
  /**
   * The HTTP method.
   * @default "POST"
   */
  readonly httpMethod?: 'POST' | 'PUT' | 'PATCH';
  /** How EventBridge's connection authenticates; the credential stays in your secret. */
  readonly authorization: ApiKeyAuthorizationProps | BasicAuthorizationProps;
  /**
   * Which of the product's events go to it.
   * @default - every detail-type
   */
  readonly detailTypes?: readonly (
    | 'ACM Approval Requested'
    | 'ACM Approval Security Alert'
    | 'ACM Certificate Issued'
    | 'ACM Renewal Mail Missing'
  )[];
  /**
   * EventBridge's invocation rate limit for the destination, 1 to 300.
   * @default 1
   */
  readonly rateLimitPerSecond?: number;
  /**
   * The request body: the whole event, or a Zendesk-style ticket made by an input transformer (never the link).
   * @default "event"
   */
  readonly body?: 'event' | 'zendesk-ticket';
}

export interface EstateProps {
  /**
   * The regions to list in every account.
   * @default - the configuration's region and us-east-1 (where CloudFront's certificates must live)
   */
  readonly regions?: readonly string[];
  /**
   * Route 53 hosted zones, besides the validation domains' ones, whose names can be validated by DNS: a name under one
   * of them is "ready" to move off email validation.
   * @default []
   */
  readonly hostedZones?: readonly HostedZoneProps[];
  /**
   * Roles in the central account that may assume each member account's status role for `acm-mail estate` (an
   * operator's role; `*` allowed in the name, e.g. an IAM Identity Center role).
   * @default [] - only the central stack's functions may
   */
  readonly readerRoleArns?: readonly string[];
}

export interface CanaryProps {
  /**
   * Whether the canary probes the watched mailboxes at all.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * When the probes go out, in `timeZone`: every day (or more often), since the per-address alarms and `acm-mail
   * doctor` expect a probe a day.
   * @default "cron(0 6 * * ? *)"
   */
  readonly schedule?: string;
  /**
   * The IANA time zone of `schedule`.
   * @default - digest.timeZone
   */
  readonly timeZone?: string;
  /**
   * How long a probe may take to arrive before its address is reported dark (5-720 minutes).
   * @default 30
   */
  readonly arrivalMinutes?: number;
}

export interface NotificationsProps {
  /**
   * Email subscriptions to the approvals topic (each must confirm).
   * @default []
   */
  readonly approvalsEmail?: readonly string[];
  /**
   * Email subscriptions to the alerts topic (security and operations).
   * @default []
   */
  readonly alertsEmail?: readonly string[];
}

/** Everything a deployment is configured with: the configuration file's fields, with the same names and meaning. */
export interface AcmValidationMailProps {
  /**
   * The JSON Schema an editor checks the configuration file with; ignored by the construct.
   * @default - none
   */
  readonly $schema?: string;
  /**
   * The CloudFormation stack name in the repository's own app; in yours, it still names the event bus
   * (`<stackName>-events`), the dashboard and the metrics namespace, so keep it unique per account and region.
   * @default "AcmValidationMail"
   */
  readonly stackName?: string;
  /**
   * The AWS account to deploy to (the repository's own app).
   * @default - the account of the CLI's credentials at deploy time
   */
  readonly account?: string;
  /** The region: one where SES receives mail. */
  readonly region: string;
  /** The validation domains whose five ACM mailboxes are watched (at least one). */
  readonly validationDomains: readonly ValidationDomainProps[];
  /**
   * Addresses at an SES-receiving validation domain that the corporate mail system forwards the five mailboxes to;
   * at least one when any domain is `forwarded`.
   * @default []
   */
  readonly extraInboundAddresses?: readonly string[];
  /** The SES receipt rule set: a new one, or rules added to an existing one. */
  readonly ruleSet: CreatedRuleSetProps | ExistingRuleSetProps;
  /**
   * The organisation's own AWS accounts: a request from any other account is a security alert. A list, or the
   * organisation's active accounts from AWS Organizations plus listed ones.
   */
  readonly accounts: readonly NamedAccountProps[] | AccountsFromOrganizationProps;
  /** The teams that own certificates (at least one). */
  readonly owners: readonly OwnerProps[];
  /**
   * Rules from a domain suffix and/or an account id to an owner; the first that matches wins.
   * @default []
   */
  readonly routing?: readonly RoutingRuleProps[];
  /** The owner of requests no rule matches. */
  readonly fallbackOwner: string;
  /** Where security alerts go. */
  readonly securityContact: string;
  /** Verified SES identity (address or its domain) that every outgoing mail is sent from. */
  readonly sender: string;
  /**
   * Makes the stack create the SES identity of the sender's domain with Easy DKIM and a custom MAIL FROM domain, so
   * that SPF, DKIM and DMARC align with the From domain.
   * @default - none: the sender's identity is made outside this stack
   */
  readonly senderIdentity?: SenderIdentityProps;
  /** The per-owner digest of open requests. */
  readonly digest: DigestProps;
  /** How long mail and records are kept. */
  readonly retention: RetentionProps;
  /**
   * What happens to mail that is not ACM's.
   * @default - { mode: "record", maxSummariesPerHour: 10 }
   */
  readonly notAcm?: NotAcmProps;
  /**
   * The router function's limits.
   * @default - { reservedConcurrency: 10 }
   */
  readonly router?: RouterProps;
  /**
   * Tags on every resource of the construct (and, in the repository's own app, of the stack); at most 50, keys not
   * starting with `aws:`.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The central event bus: ACM's events come in from the member accounts, the product's events go out.
   * @default - {}: the bus admits the listed accounts only
   */
  readonly events?: EventsProps;
  /**
   * The certificate estate (README, "Moving off email validation"): what `acm-mail estate` and the digest's estate
   * section list through each account's status role.
   * @default - {}: the configuration's region and us-east-1, the validation domains' hosted zones only
   */
  readonly estate?: EstateProps;
  /**
   * The mailbox canary (README, "The mailbox canary").
   * @default - enabled, daily at 06:00, 30 minutes to arrive
   */
  readonly canary?: CanaryProps;
  /**
   * Email subscriptions to the topics, made by the stack (each address confirms by mail). For other subscriptions use
   * `addApprovalsSubscription` and `addAlertsSubscription`.
   * @default - no email subscriptions
   */
  readonly notifications?: NotificationsProps;
}
