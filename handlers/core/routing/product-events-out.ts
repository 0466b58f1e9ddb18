/**
 * The product events (core/product-events.ts, README "Events out") the router's outcomes become: `ACM Approval
 * Requested` for each routed request (a new ticket, a follow-up with a new link), `ACM Approval Security Alert` for
 * each security alert sent. Pure: the router decides when, and puts them through the `ProductEventBus` port.
 *
 * Links: only `approvalLink` of `ACM Approval Requested` may carry one, by the same rule as the approvals topic
 * (`shareableApprovalLink`). Every other field is either an identifier the router checked (domain, account, region,
 * ARN), a date, a code from a fixed list, or free text from the mail as every output shows it (`presentMailText`:
 * secrets redacted, hosts defanged).
 */
import type { Configuration } from '../configuration/index.js';
import {
  type ApprovalRequestedDetail,
  PRODUCT_EVENT_SCHEMA_VERSION,
  PRODUCT_EVENT_TYPES,
  type ProductEvent,
  type SecurityAlertDetail,
} from '../product-events.js';
import type { SecurityEventFacts } from '../state.js';
import type { Arrival, RouteDecision } from './delivery.js';
import { shareableApprovalLink } from './delivery.js';
import { routeToOwner } from './owner-routing.js';
import type { SecurityAlertKind } from './security-outcome.js';

export interface RoutedRequest {
  readonly decision: RouteDecision;
  readonly arrival: Arrival;
  readonly requestKey: string;
  readonly followUp: boolean;
  readonly accountName: string | null;
  /** The window's deadline as the ticket states it (a follow-up's is its own mail's). */
  readonly approvalDeadline: string;
  readonly ticketSubject: string | null;
  /** When the outcome happened (the clock's now): the event's `time`. */
  readonly at: Date;
}

export function approvalRequestedEvent(routed: RoutedRequest): ProductEvent {
  const { approval, owner, authenticated } = routed.decision;
  const link = shareableApprovalLink(routed.decision);
  const detail: ApprovalRequestedDetail = {
    schemaVersion: PRODUCT_EVENT_SCHEMA_VERSION,
    outcomeKey: routed.arrival.messageId,
    owner: owner.name,
    requestKey: routed.requestKey,
    kind: routed.followUp ? 'follow-up' : 'new',
    domain: approval.domain,
    accountId: approval.accountId,
    accountName: routed.accountName,
    region: approval.region,
    certificateArn: approval.certificateArn,
    renewal: approval.renewal,
    trust: authenticated ? 'trusted' : 'unverified',
    approvalDeadline: routed.approvalDeadline,
    certificateExpiresAt: approval.expiresAt,
    receivedAt: routed.arrival.receivedAt,
    ticketSubject: routed.ticketSubject,
    ...(link === null ? {} : { approvalLink: link }),
  };
  return {
    detailType: PRODUCT_EVENT_TYPES.approvalRequested,
    detail,
    resources: [approval.certificateArn],
    time: routed.at.toISOString(),
  };
}

export interface AlertedOutcome {
  readonly outcome: SecurityAlertKind;
  readonly messageId: string;
  readonly reasons: readonly string[];
  /** What the state table records of it (security-outcome.ts, probe-alert.ts): no link, ever. */
  readonly security: SecurityEventFacts;
  readonly receivedAt: string;
  /** Where the raw mail is: the quarantined copy when there is one. */
  readonly mailLocation: string | null;
  readonly at: Date;
}

/**
 * `owner` is the team whose domain the mail names (by the routing rules), for consumers that route alerts per team;
 * null when the mail names no domain we could read.
 */
export function securityAlertEvent(
  alerted: AlertedOutcome,
  config: Pick<Configuration, 'routing' | 'owners' | 'fallbackOwner'>,
): ProductEvent {
  const { security } = alerted;
  const owner =
    security.domain === null
      ? null
      : routeToOwner({ domain: security.domain, accountId: security.accountId ?? '' }, config).owner.name;
  const detail: SecurityAlertDetail = {
    schemaVersion: PRODUCT_EVENT_SCHEMA_VERSION,
    outcomeKey: alerted.messageId,
    owner,
    outcome: alerted.outcome,
    reasons: [...alerted.reasons],
    subject: security.subject,
    domain: security.domain,
    accountId: security.accountId,
    region: security.region,
    certificateArn: security.certificateArn,
    authenticated: security.authenticated,
    receivedAt: alerted.receivedAt,
    mailLocation: alerted.mailLocation,
  };
  return {
    detailType: PRODUCT_EVENT_TYPES.securityAlert,
    detail,
    // A suspicious mail's ARN is a forger's claim: a rule matching on `resources` must not take it for a fact.
    resources: alerted.outcome === 'suspicious' || security.certificateArn === null ? [] : [security.certificateArn],
    time: alerted.at.toISOString(),
  };
}
