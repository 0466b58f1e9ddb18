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
} as const;

export const ARCHIVE_PREFIX = { inbound: 'inbound/', quarantine: 'quarantine/' } as const;

export const REQUEST_TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB may delete the item. */
  timeToLive: 'expiresAt',
  openRequestsIndex: 'openRequestsByOwner',
  /** Present only on a request's current window: the index is sparse. */
  openOwner: 'openOwner',
  approvalDeadline: 'approvalDeadline',
} as const;

/** Stack outputs by name: `acm-mail replay` finds the deployed resources through them. */
export const DEPLOYED_OUTPUTS = {
  archiveBucket: 'ArchiveBucket',
  requestTable: 'RequestTable',
  approvalsTopic: 'ApprovalsTopic',
  alertsTopic: 'AlertsTopic',
  deadLetterQueue: 'RouterDeadLetterQueue',
} as const;
