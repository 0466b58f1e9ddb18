/**
 * Names the stack and the handlers must agree on: environment variables, the archive's prefixes, the state table's
 * attributes and index. `infra/` imports them from here, so a rename cannot leave one side behind.
 */
export const ENV = {
  archiveBucket: 'ARCHIVE_BUCKET',
  requestTable: 'REQUEST_TABLE',
  approvalsTopic: 'APPROVALS_TOPIC_ARN',
  alertsTopic: 'ALERTS_TOPIC_ARN',
  sender: 'SENDER_ADDRESS',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** The Secrets Manager secret (ARN) whose value is the key probe tokens are signed with. */
  probeKeySecret: 'PROBE_KEY_SECRET_ARN',
  /** The canary's one-time check schedules: their group, and the role Scheduler invokes the canary with. */
  canaryScheduleGroup: 'CANARY_SCHEDULE_GROUP',
  canarySchedulerRole: 'CANARY_SCHEDULER_ROLE_ARN',
  /** The central event bus (name) the product's events go to. */
  eventBus: 'EVENT_BUS_NAME',
} as const;

export const ARCHIVE_PREFIX = { inbound: 'inbound/', quarantine: 'quarantine/' } as const;

export const REQUEST_TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB may delete the item. */
  timeToLive: 'expiresAt',
  /**
   * The digest's sparse index. A request's current window is listed under its owner, sorted by approval deadline;
   * each security outcome (foreign-account, suspicious, unparseable) under `#security`, sorted by when it was
   * recorded. Nothing else carries these two attributes.
   */
  digestIndex: 'digestByOwner',
  digestOwner: 'digestOwner',
  digestAt: 'digestAt',
  /**
   * Each kind of item: its partition key is the prefix and the item's own key, its sort key as given. A request's
   * closed windows keep its partition key, under `window#<first received>`.
   */
  items: {
    request: { prefix: 'request#', sortKey: 'current', closedWindowPrefix: 'window#' },
    outcome: { prefix: 'message#', sortKey: 'outcome' },
    alert: { prefix: 'alert#', sortKey: 'marker' },
    hourlyBudget: { prefix: 'rate#', sortKey: 'count' },
    /** A canary run's probes: one partition per run, one item per address (sort key: the address). */
    probe: { prefix: 'probe#' },
    /** The canary's last word on one watched address. */
    probeAddress: { prefix: 'canary#', sortKey: 'latest' },
    /**
     * The requests of one certificate, so ACM's events (which name the certificate, not the domain) find them: one
     * partition per certificate ARN, one item per request key (sort key: `request#<key>`), written by the router.
     */
    certificateRequest: { prefix: 'certificate#', sortKeyPrefix: 'request#' },
    /** One ACM event's one outcome, by EventBridge's event id. */
    acmEvent: { prefix: 'acm-event#', sortKey: 'outcome', leaseSortKey: 'lease' },
    /** The organisation's accounts as last read from AWS Organizations: one item. */
    organizationAccounts: { partition: 'accounts#organization', sortKey: 'latest' },
  },
} as const;

/** Stack outputs by name: `acm-mail replay` finds the deployed resources through them. */
export const DEPLOYED_OUTPUTS = {
  archiveBucket: 'ArchiveBucket',
  requestTable: 'RequestTable',
  approvalsTopic: 'ApprovalsTopic',
  alertsTopic: 'AlertsTopic',
  deadLetterQueue: 'RouterDeadLetterQueue',
  /** `acm-mail doctor` checks the router's reserved concurrency and invokes the canary with `--probe`. */
  routerFunction: 'RouterFunction',
  canaryFunction: 'CanaryFunction',
  /** The canary's daily schedule (group `default`): `acm-mail doctor` checks it is there and enabled. */
  canarySchedule: 'CanarySchedule',
  /** The central event bus: member accounts forward ACM's events to it; the product's events go out on it. */
  eventBus: 'EventBusArn',
} as const;

/** The digest index's partition for security events (owner names cannot start with `#`). */
export const SECURITY_DIGEST_OWNER = '#security';

/**
 * What the read-only ACM status role in each member account may do (`accounts[].statusRoleArn`): the member-account
 * stack grants exactly these, and the README's policy lists them. No `*` action, ever. DescribeCertificate for the
 * digest's status of a request and the estate; ListCertificates for the estate (`acm-mail estate`, the digest's
 * estate section).
 */
export const STATUS_ROLE_ACTIONS = ['acm:DescribeCertificate', 'acm:ListCertificates'] as const;
