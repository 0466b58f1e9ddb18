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
