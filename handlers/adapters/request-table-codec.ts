/**
 * The state table's items, made from the state model (core/state.ts) and read back into it. The one place that knows
 * the table's keys, prefixes, index attributes and how each record is laid out: the request store, the digest store
 * and the tests all go through here. Built on the schema both the stack and the handlers import
 * (`REQUEST_TABLE_SCHEMA`).
 *
 * Items are plain objects for DynamoDB's document client: string sets are `Set`s, absent values `undefined` (the
 * client removes them).
 */

import { neverProbed } from '../core/canary/targets.js';
import { REQUEST_TABLE_SCHEMA, SECURITY_DIGEST_OWNER } from '../core/deployment-contract.js';
import type { RequestSighting } from '../core/estate/mail-history.js';
import type { ProductEvent } from '../core/product-events.js';
import type {
  AcmEventOutcomeRecord,
  CertificateRequestState,
  ClaimRequest,
  DigestRequest,
  OutcomeRecord,
  ProbeAddressState,
  ProbeRecord,
  RequestWindow,
  SecurityEvent,
  SeenLink,
  StoredRequest,
} from '../core/state.js';
import type { CachedAccountList } from '../ports/accounts.js';

export type TableItem = Record<string, unknown>;
export interface TableKey {
  readonly [attribute: string]: string;
}

const SCHEMA = REQUEST_TABLE_SCHEMA;
const ITEMS = SCHEMA.items;
/** DynamoDB cannot store an empty set: this stands in for "no recipients" and is dropped on reading. */
const NO_ADDRESS = '(none)';

function keyOf(partition: string, sort: string): TableKey {
  return { [SCHEMA.partitionKey]: partition, [SCHEMA.sortKey]: sort };
}

/** The keys of every kind of item. */
export const tableKeys = {
  /** A request's current window. */
  request: (requestKey: string) => keyOf(`${ITEMS.request.prefix}${requestKey}`, ITEMS.request.sortKey),
  /** A message's one outcome. */
  outcome: (messageId: string) => keyOf(`${ITEMS.outcome.prefix}${messageId}`, ITEMS.outcome.sortKey),
  /** The marker that one security alert was sent. */
  alert: (alertKey: string) => keyOf(`${ITEMS.alert.prefix}${alertKey}`, ITEMS.alert.sortKey),
  /** An hourly budget's counter. */
  hourlyBudget: (bucket: string) => keyOf(`${ITEMS.hourlyBudget.prefix}${bucket}`, ITEMS.hourlyBudget.sortKey),
  /** One canary probe: its run's partition, its address as the sort key. */
  probe: (runId: string, address: string) => keyOf(`${ITEMS.probe.prefix}${runId}`, address),
  /** The partition of a canary run's probes (to query them all). */
  probeRun: (runId: string) => `${ITEMS.probe.prefix}${runId}`,
  /** The canary's last word on one watched address. */
  probeAddress: (address: string) => keyOf(`${ITEMS.probeAddress.prefix}${address}`, ITEMS.probeAddress.sortKey),
  /** One request of a certificate, under the certificate's partition. */
  certificateRequest: (certificateArn: string, requestKey: string) =>
    keyOf(
      `${ITEMS.certificateRequest.prefix}${certificateArn}`,
      `${ITEMS.certificateRequest.sortKeyPrefix}${requestKey}`,
    ),
  /** The partition of a certificate's requests (to query them all). */
  certificateRequests: (certificateArn: string) => `${ITEMS.certificateRequest.prefix}${certificateArn}`,
  /** One ACM event's one outcome. */
  acmEvent: (eventId: string) => keyOf(`${ITEMS.acmEvent.prefix}${eventId}`, ITEMS.acmEvent.sortKey),
  /** The delivery of an ACM event that is acting on it now (EventBridge may deliver one event twice at once). */
  acmEventLease: (eventId: string) => keyOf(`${ITEMS.acmEvent.prefix}${eventId}`, ITEMS.acmEvent.leaseSortKey),
  /** The organisation's accounts as last read. */
  organizationAccounts: () => keyOf(ITEMS.organizationAccounts.partition, ITEMS.organizationAccounts.sortKey),
};

/** Attribute names the store's conditions and updates use beside the record fields. */
export const tableAttributes = {
  partitionKey: SCHEMA.partitionKey,
  sortKey: SCHEMA.sortKey,
  timeToLive: SCHEMA.timeToLive,
} as const;

export function recipientSet(recipients: readonly string[]): Set<string> {
  return new Set(recipients.length > 0 ? recipients : [NO_ADDRESS]);
}

export function seenLinkOf(claim: ClaimRequest): SeenLink {
  return { url: claim.approvalUrl ?? '', trust: claim.trust, receivedAt: claim.receivedAt };
}

/** The item a claim writes when it opens a request (its first copy, or the first after the window closed). */
export function openedRequestItem(claim: ClaimRequest): TableItem {
  return {
    ...tableKeys.request(claim.key),
    key: claim.key,
    domain: claim.domain,
    accountId: claim.accountId,
    region: claim.region,
    certificateArn: claim.certificateArn,
    owner: claim.owner,
    // Listed in the digest index under its owner, by deadline, while this window is the current one.
    [SCHEMA.digestOwner]: claim.owner,
    [SCHEMA.digestAt]: claim.approvalDeadline,
    renewal: claim.renewal,
    trust: claim.trust,
    firstReceivedAt: claim.receivedAt,
    latestReceivedAt: claim.receivedAt,
    approvalDeadline: claim.approvalDeadline,
    addresses: recipientSet(claim.recipients),
    messageIds: new Set([claim.messageId]),
    linkDigests: claim.linkDigest ? new Set([claim.linkDigest]) : undefined,
    // Each link with the trust of the mail it came in, for the digest and follow-ups; the table is encrypted at
    // rest and no log line ever holds a link.
    links: claim.linkDigest ? { [claim.linkDigest]: seenLinkOf(claim) } : {},
    certificateExpiresAt: claim.certificateExpiresAt ?? undefined,
    threadAnchor: claim.threadAnchor,
    status: 'claimed',
    claimedBy: claim.messageId,
    claimExpiresAt: claim.claimExpiresAt,
    [SCHEMA.timeToLive]: claim.expiresAtEpoch,
  };
}

/** A window that closed, kept as history beside the new one and out of the digest index. */
export function closedWindowItem(previous: TableItem): TableItem {
  return {
    ...previous,
    [SCHEMA.sortKey]: `${ITEMS.request.closedWindowPrefix}${String(previous.firstReceivedAt)}`,
    [SCHEMA.digestOwner]: undefined,
    [SCHEMA.digestAt]: undefined,
  };
}

/** The digests of the links a request has seen. */
export function linkDigestsOf(item: TableItem): ReadonlySet<string> {
  return item.linkDigests instanceof Set ? (item.linkDigests as Set<string>) : new Set<string>();
}

/**
 * The links an item holds, oldest first. An item written before links kept their trust has only `latestApprovalUrl`:
 * nothing says which mail that link came in, so it counts as unverified.
 */
export function linksOf(item: TableItem): (SeenLink & { readonly digest: string })[] {
  const map = typeof item.links === 'object' && item.links !== null ? (item.links as Record<string, unknown>) : null;
  if (map === null) {
    return typeof item.latestApprovalUrl === 'string' && item.latestApprovalUrl !== ''
      ? [{ digest: '', url: item.latestApprovalUrl, trust: 'unverified', receivedAt: String(item.latestReceivedAt) }]
      : [];
  }
  return Object.entries(map)
    .map(([digest, value]) => {
      const link = (value ?? {}) as Record<string, unknown>;
      return {
        digest,
        url: String(link.url ?? ''),
        trust: link.trust === 'trusted' ? ('trusted' as const) : ('unverified' as const),
        receivedAt: String(link.receivedAt ?? ''),
      };
    })
    .filter((link) => link.url !== '')
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const optionalText = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** A map of text values (the tickets per queue); anything else in it is left out, a missing map is empty. */
function textMapOf(value: unknown): Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** What every reader of a request item needs (the router's claims, the digest). */
export function requestWindowOf(item: TableItem): RequestWindow {
  const addresses = item.addresses instanceof Set ? [...(item.addresses as Set<string>)] : [];
  return {
    key: String(item.key),
    domain: String(item.domain),
    accountId: String(item.accountId),
    region: String(item.region),
    certificateArn: String(item.certificateArn),
    owner: String(item.owner),
    renewal: item.renewal === true,
    trust: item.trust === 'trusted' ? 'trusted' : 'unverified',
    approvalDeadline: String(item.approvalDeadline),
    firstReceivedAt: String(item.firstReceivedAt),
    addresses: addresses.filter((address) => address !== NO_ADDRESS).sort(),
    links: linksOf(item).map(({ url, trust, receivedAt }) => ({ url, trust, receivedAt })),
  };
}

export function storedRequestOf(item: TableItem): StoredRequest {
  const nullable = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : null);
  return {
    ...requestWindowOf(item),
    latestReceivedAt: String(item.latestReceivedAt),
    threadAnchor: String(item.threadAnchor),
    status: item.status === 'delivered' ? 'delivered' : 'claimed',
    claimedBy: nullable('claimedBy'),
    ticketMessageId: nullable('ticketMessageId'),
    ticketSubject: nullable('ticketSubject'),
    ticketMessageIds: textMapOf(item.ticketMessageIds),
    publishedAt: nullable('publishedAt'),
    pendingFollowUpBy: nullable('pendingFollowUpBy'),
  };
}

export function digestRequestOf(item: TableItem): DigestRequest {
  return {
    ...requestWindowOf(item),
    certificateExpiresAt: optionalText(item.certificateExpiresAt),
    ticketSubject: optionalText(item.ticketSubject),
    ticketMessageId: optionalText(item.ticketMessageId),
    issuedAt: optionalText(item.issuedAt),
  };
}

/**
 * The item that lists a request under its certificate: ACM's events name the certificate, the state table keys
 * requests by certificate and domain. Kept as long as the request it names.
 */
export function certificateRequestItem(claim: ClaimRequest): TableItem {
  return {
    ...tableKeys.certificateRequest(claim.certificateArn, claim.key),
    requestKey: claim.key,
    [SCHEMA.timeToLive]: claim.expiresAtEpoch,
  };
}

/** The request key a certificate's listing item names. */
export function listedRequestKeyOf(item: TableItem): string | null {
  return optionalText(item.requestKey);
}

export function certificateRequestStateOf(item: TableItem): CertificateRequestState {
  return {
    ...storedRequestOf(item),
    issuedAt: optionalText(item.issuedAt),
    issuedByEvent: optionalText(item.issuedByEvent),
    issuedNoticeSentAt: optionalText(item.issuedNoticeSentAt),
  };
}

export function acmEventOutcomeItem(record: AcmEventOutcomeRecord): TableItem {
  return {
    ...tableKeys.acmEvent(record.eventId),
    eventId: record.eventId,
    outcome: record.outcome,
    detailType: record.detailType ?? undefined,
    certificateArn: record.certificateArn ?? undefined,
    accountId: record.accountId ?? undefined,
    requestKeys: record.requestKeys,
    detail: record.detail ?? undefined,
    recordedAt: record.recordedAt,
    [SCHEMA.timeToLive]: record.expiresAtEpoch,
  };
}

export function acmEventOutcomeOf(item: TableItem): AcmEventOutcomeRecord {
  return {
    eventId: text(item.eventId),
    outcome: item.outcome as AcmEventOutcomeRecord['outcome'],
    detailType: optionalText(item.detailType),
    certificateArn: optionalText(item.certificateArn),
    accountId: optionalText(item.accountId),
    requestKeys: Array.isArray(item.requestKeys) ? (item.requestKeys as string[]) : [],
    detail: optionalText(item.detail),
    recordedAt: text(item.recordedAt),
    expiresAtEpoch: Number(item[SCHEMA.timeToLive]),
  };
}

/** The outcome item's attribute holding the events it still owes the bus (`OutcomeRecord.pendingEvents`). */
export const PENDING_EVENTS = 'pendingEvents';

/** A message's outcome; a security outcome is also listed in the digest index under the security partition. */
export function outcomeItem(record: OutcomeRecord): TableItem {
  return {
    ...tableKeys.outcome(record.messageId),
    messageId: record.messageId,
    outcome: record.outcome,
    requestKey: record.requestKey ?? undefined,
    reasons: record.reasons,
    detail: record.detail ?? undefined,
    recordedAt: record.recordedAt,
    [SCHEMA.timeToLive]: record.expiresAtEpoch,
    ...(record.security
      ? { ...record.security, [SCHEMA.digestOwner]: SECURITY_DIGEST_OWNER, [SCHEMA.digestAt]: record.recordedAt }
      : {}),
    // One JSON string: the events go back on the bus exactly as they were built, whatever their fields.
    ...(record.pendingEvents && record.pendingEvents.length > 0
      ? { [PENDING_EVENTS]: JSON.stringify(record.pendingEvents) }
      : {}),
  };
}

export function outcomeRecordOf(item: TableItem): OutcomeRecord {
  return {
    messageId: String(item.messageId),
    outcome: item.outcome as OutcomeRecord['outcome'],
    requestKey: typeof item.requestKey === 'string' ? item.requestKey : null,
    reasons: Array.isArray(item.reasons) ? (item.reasons as string[]) : [],
    detail: typeof item.detail === 'string' ? item.detail : null,
    recordedAt: String(item.recordedAt),
    expiresAtEpoch: Number(item[SCHEMA.timeToLive]),
    ...(typeof item[PENDING_EVENTS] === 'string'
      ? { pendingEvents: JSON.parse(item[PENDING_EVENTS]) as ProductEvent[] }
      : {}),
  };
}

export function securityEventOf(item: TableItem): SecurityEvent {
  return {
    messageId: text(item.messageId),
    outcome: item.outcome as SecurityEvent['outcome'],
    recordedAt: text(item.recordedAt),
    requestKey: optionalText(item.requestKey),
    subject: text(item.subject),
    domain: optionalText(item.domain),
    accountId: optionalText(item.accountId),
    region: optionalText(item.region),
    certificateArn: optionalText(item.certificateArn),
    authenticated: item.authenticated === true,
    reasons: Array.isArray(item.reasons) ? (item.reasons as string[]) : [],
  };
}

/** An alert marker: which message may send (and re-send, on its own retries) the alert. */
export function alertMarkerItem(alertKey: string, messageId: string, expiresAtEpoch: number): TableItem {
  return { ...tableKeys.alert(alertKey), claimedBy: messageId, [SCHEMA.timeToLive]: expiresAtEpoch };
}

const PROBE_PATHS = new Set(['ses', 'forwarded', 'extra']);
const probePathOf = (value: unknown): ProbeRecord['path'] =>
  PROBE_PATHS.has(value as string) ? (value as ProbeRecord['path']) : 'ses';

/** A probe as sent: nothing has happened to it yet. */
export function probeItem(probe: ProbeRecord, expiresAtEpoch: number): TableItem {
  return {
    ...tableKeys.probe(probe.runId, probe.address),
    runId: probe.runId,
    address: probe.address,
    domain: probe.domain,
    path: probe.path,
    sentAt: probe.sentAt,
    checkAt: probe.checkAt,
    arrivedAt: probe.arrivedAt ?? undefined,
    arrivalMessageId: probe.arrivalMessageId ?? undefined,
    missingAlertedAt: probe.missingAlertedAt ?? undefined,
    lateClearedAt: probe.lateClearedAt ?? undefined,
    [SCHEMA.timeToLive]: expiresAtEpoch,
  };
}

export function probeRecordOf(item: TableItem): ProbeRecord {
  return {
    runId: text(item.runId),
    address: text(item.address),
    domain: text(item.domain),
    path: probePathOf(item.path),
    sentAt: text(item.sentAt),
    checkAt: text(item.checkAt),
    arrivedAt: optionalText(item.arrivedAt),
    arrivalMessageId: optionalText(item.arrivalMessageId),
    missingAlertedAt: optionalText(item.missingAlertedAt),
    lateClearedAt: optionalText(item.lateClearedAt),
  };
}

/** The canary's last word on an address; `updatedAt` says when it was written. */
export function probeAddressItem(state: ProbeAddressState): TableItem {
  return {
    ...tableKeys.probeAddress(state.address),
    address: state.address,
    domain: state.domain,
    path: state.path,
    lastRunId: state.lastRunId ?? undefined,
    lastSentAt: state.lastSentAt ?? undefined,
    lastArrivedAt: state.lastArrivedAt ?? undefined,
    lastArrivedSentAt: state.lastArrivedSentAt ?? undefined,
    lastMissingAt: state.lastMissingAt ?? undefined,
  };
}

/** Reads an address's state; `fallback` names the address when there is no item (never probed). */
export function probeAddressStateOf(
  item: TableItem | undefined,
  fallback: { address: string; domain: string; path: ProbeRecord['path'] },
): ProbeAddressState {
  if (item === undefined) return neverProbed(fallback);
  return {
    address: text(item.address) || fallback.address,
    domain: text(item.domain) || fallback.domain,
    path: item.path === undefined ? fallback.path : probePathOf(item.path),
    lastRunId: optionalText(item.lastRunId),
    lastSentAt: optionalText(item.lastSentAt),
    lastArrivedAt: optionalText(item.lastArrivedAt),
    lastArrivedSentAt: optionalText(item.lastArrivedSentAt),
    lastMissingAt: optionalText(item.lastMissingAt),
  };
}

/**
 * The organisation's accounts as last read: a map of id to name (about 40 bytes an account, so an organisation of
 * up to about 9,000 accounts fits DynamoDB's 400 KB item).
 */
export function organizationAccountsItem(list: CachedAccountList): TableItem {
  return {
    ...tableKeys.organizationAccounts(),
    accounts: Object.fromEntries(list.accounts.map((account) => [account.id, account.name])),
    readAt: list.readAt,
  };
}

export function organizationAccountsOf(item: TableItem): CachedAccountList | null {
  if (typeof item.readAt !== 'string' || Number.isNaN(Date.parse(item.readAt))) return null;
  return {
    accounts: Object.entries(textMapOf(item.accounts)).map(([id, name]) => ({ id, name })),
    readAt: item.readAt,
  };
}

/**
 * Reading every request window for the estate's mail history (`acm-mail estate`): a scan, projected to what the
 * history needs and filtered to request items (current and closed windows alike).
 */
export const requestSightingScan = {
  filter: 'begins_with(#pk, :requestPrefix)',
  projection: '#pk, certificateArn, firstReceivedAt, latestReceivedAt',
  names: { '#pk': SCHEMA.partitionKey },
  values: { ':requestPrefix': ITEMS.request.prefix },
} as const;

export function requestSightingOf(item: TableItem): RequestSighting {
  return {
    certificateArn: text(item.certificateArn),
    firstReceivedAt: text(item.firstReceivedAt),
    latestReceivedAt: text(item.latestReceivedAt) || text(item.firstReceivedAt),
  };
}
