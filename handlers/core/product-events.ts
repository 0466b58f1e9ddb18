/**
 * The events the product puts on its central event bus (README, "Events out"): one per outcome the router and the
 * events handler record, for ticket systems integrated by API (EventBridge API destinations) and anything else that
 * listens. The `detail` of each is a versioned schema: fields are only ever added within a version; a removal or a
 * change of meaning makes a new `schemaVersion`, announced in the README.
 *
 * No detail ever carries a live approval link, except `approvalLink` of `ACM Approval Requested`, and only when the
 * mail was trusted, the account is ours and the owner opted in (`owners[].snsApprovalLinks`, as for SNS).
 */

/** `source` of every product event. EventBridge reserves `aws.` prefixes; this one is ours. */
export const PRODUCT_EVENT_SOURCE = 'acm-validation-mail';

/** The schema version every detail carries now. */
export const PRODUCT_EVENT_SCHEMA_VERSION = '1';

export const PRODUCT_EVENT_TYPES = {
  approvalRequested: 'ACM Approval Requested',
  securityAlert: 'ACM Approval Security Alert',
  certificateIssued: 'ACM Certificate Issued',
  renewalMailMissing: 'ACM Renewal Mail Missing',
} as const;
export type ProductEventType = (typeof PRODUCT_EVENT_TYPES)[keyof typeof PRODUCT_EVENT_TYPES];

/** Fields every detail has. */
export interface ProductEventDetailBase {
  readonly schemaVersion: typeof PRODUCT_EVENT_SCHEMA_VERSION;
  /**
   * What the event is about, stable across retries: the SES message id for mail outcomes, ACM's event id for
   * certificate events. Consumers de-duplicate on it (EventBridge delivers at least once).
   */
  readonly outcomeKey: string;
  /** The owning team (`owners[].name`); null when none is known (a mail we could not read). */
  readonly owner: string | null;
  /**
   * Present (true) only when the detail was cut to fit EventBridge's 256 KB entry limit: free text shortened, long
   * lists cut (`shrinkToFit`). Added within v1: consumers that do not know it lose nothing they relied on.
   */
  readonly truncated?: true;
}

/** `ACM Approval Requested`: a request was routed (a new ticket, or a follow-up with a new link). */
export interface ApprovalRequestedDetail extends ProductEventDetailBase {
  readonly requestKey: string;
  /** `new`: the first ticket of this window; `follow-up`: a resend carrying a link not seen before. */
  readonly kind: 'new' | 'follow-up';
  readonly domain: string;
  readonly accountId: string;
  readonly accountName: string | null;
  readonly region: string;
  readonly certificateArn: string;
  readonly renewal: boolean;
  readonly trust: 'trusted' | 'unverified';
  readonly approvalDeadline: string;
  readonly certificateExpiresAt: string | null;
  readonly receivedAt: string;
  /** The subject of the ticket mail (threads in ticket systems that match on it). */
  readonly ticketSubject: string | null;
  /** Only when trusted, ours and opted in; otherwise absent. */
  readonly approvalLink?: string;
}

/** `ACM Approval Security Alert`: a suspicious mail, a request from an account not ours, an unreadable mail. */
export interface SecurityAlertDetail extends ProductEventDetailBase {
  readonly outcome: 'suspicious' | 'foreign-account' | 'unparseable';
  readonly reasons: readonly string[];
  readonly subject: string;
  readonly domain: string | null;
  readonly accountId: string | null;
  readonly region: string | null;
  readonly certificateArn: string | null;
  readonly authenticated: boolean;
  readonly receivedAt: string;
  /** `s3://bucket/key` of the quarantined or archived raw mail. */
  readonly mailLocation: string | null;
}

/** `ACM Certificate Issued`: ACM says the certificate of an open request is issued; its ticket can close. */
export interface CertificateIssuedDetail extends ProductEventDetailBase {
  readonly certificateArn: string;
  readonly accountId: string;
  readonly region: string;
  /** The open requests (one per domain name) this closes. */
  readonly requestKeys: readonly string[];
  readonly issuedAt: string;
}

/** `ACM Renewal Mail Missing`: a renewal is due and no approval mail for it arrived in the window. */
export interface RenewalMailMissingDetail extends ProductEventDetailBase {
  readonly certificateArn: string;
  readonly accountId: string;
  readonly region: string;
  readonly commonName: string | null;
  /** ACM's event that said the renewal is due. */
  readonly acmEventType: 'ACM Certificate Renewal Action Required' | 'ACM Certificate Approaching Expiration';
  readonly daysToExpiry: number | null;
  /** Since when we looked for approval mail for this certificate. */
  readonly windowStart: string;
}

export interface ProductEventDetails {
  readonly 'ACM Approval Requested': ApprovalRequestedDetail;
  readonly 'ACM Approval Security Alert': SecurityAlertDetail;
  readonly 'ACM Certificate Issued': CertificateIssuedDetail;
  readonly 'ACM Renewal Mail Missing': RenewalMailMissingDetail;
}

/** One event for the bus: the adapter adds `source` and the bus name. */
export type ProductEvent = {
  [T in ProductEventType]: {
    readonly detailType: T;
    readonly detail: ProductEventDetails[T];
    /** ARNs the event is about (the certificate's), as EventBridge's `resources`. */
    readonly resources: readonly string[];
    readonly time: string;
  };
}[ProductEventType];

/**
 * EventBridge's limit on one PutEvents entry, and on a whole request: 256 KB, counted as the UTF-8 bytes of `Source`,
 * `DetailType`, `Detail` and each of `Resources`, plus 14 bytes for `Time` (EventBridge User Guide, "Calculating
 * Amazon EventBridge PutEvents event entry size").
 */
export const PUT_EVENTS_MAX_ENTRY_BYTES = 256 * 1024;
/** PutEvents takes at most 10 entries per request (EventBridge API Reference, `PutEvents`, `Entries`). */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** The size EventBridge counts for an event's entry (see `PUT_EVENTS_MAX_ENTRY_BYTES`). */
export function productEventEntryBytes(event: ProductEvent): number {
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  return (
    14 +
    bytes(PRODUCT_EVENT_SOURCE) +
    bytes(event.detailType) +
    bytes(JSON.stringify(event.detail)) +
    event.resources.reduce((sum, resource) => sum + bytes(resource), 0)
  );
}

/** What a detail may lose to fit, and how short free text and lists become. */
const FIT = {
  /** Text that came from mail or was rendered from it: shortened. */
  freeText: ['subject', 'ticketSubject'],
  /** Lists that grow with the mail: the first items kept. */
  lists: ['reasons'],
  /** Optional fields dropped: a link cut short is no link, and the ticket carries it anyway. */
  optional: ['approvalLink'],
  textChars: 200,
  listItems: 20,
} as const;

/**
 * The event, cut to fit one PutEvents entry: never dropped. Free text is cut to 200 characters, lists to 20 items,
 * the optional link dropped, and the detail says `truncated: true`; identifiers (keys, ARNs, account, region,
 * dates), which consumers de-duplicate and route on, are never touched. Our details are small (subjects are already
 * cut to 200 characters, reasons come from a fixed list), so this guards the case nobody foresaw. Returns null when
 * even the cut event is too large: the caller must then fail loudly (an error, retries, the dead-letter queue and its
 * alarm), never put nothing silently.
 */
export function shrinkToFit(event: ProductEvent, maxBytes = PUT_EVENTS_MAX_ENTRY_BYTES): ProductEvent | null {
  if (productEventEntryBytes(event) <= maxBytes) return event;
  const detail: Record<string, unknown> = { ...event.detail, truncated: true };
  for (const field of FIT.optional) delete detail[field];
  for (const field of FIT.freeText) {
    const value = detail[field];
    if (typeof value === 'string' && value.length > FIT.textChars) {
      detail[field] = `${value.slice(0, FIT.textChars - 1)}…`;
    }
  }
  for (const field of FIT.lists) {
    const value = detail[field];
    if (Array.isArray(value) && value.length > FIT.listItems) detail[field] = value.slice(0, FIT.listItems);
  }
  // Same fields and types as before (text stays text, lists stay lists, only an optional field is gone).
  const shrunk = { ...event, detail } as unknown as ProductEvent;
  return productEventEntryBytes(shrunk) <= maxBytes ? shrunk : null;
}
