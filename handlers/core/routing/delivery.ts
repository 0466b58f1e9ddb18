/**
 * What the router writes and sends for a request it routes to an owner: its claim on the request, the ticket mail's
 * threading, and the approvals topic's message. Pure: the router's process-mail.ts only orders the side effects.
 */
import type { TicketQueue } from '../configuration/schema.js';
import type { ClaimRequest, StoredRequest } from '../state.js';
import type { ApprovalRequest } from '../types.js';
import type { Decision } from './decide.js';
import { presentAddress } from './defang.js';
import { queueMailHeaders, queueThreading } from './delivery-profiles.js';
import { APPROVAL_WINDOW_MS } from './outcomes.js';
import { linkDigest, requestDigest, requestKey, threadAnchor } from './request-key.js';
import { sesMessageIdOf } from './ses-event.js';

export type RouteDecision = Extract<Decision, { outcome: 'route' }>;

const DAY_S = 24 * 60 * 60;

/** One copy of a request as it arrived. */
export interface Arrival {
  readonly messageId: string;
  readonly receivedAt: string;
  readonly recipients: readonly string[];
}

export interface ClaimSettings {
  readonly now: Date;
  /** How long the claim protects our delivery before another copy may take it over. */
  readonly claimTimeoutMs: number;
  /** The domain of our sender address: the ticket thread's anchor is written at it. */
  readonly senderDomain: string;
  /** How long the state table keeps the request after its window closes. */
  readonly stateDays: number;
}

/** ACM's link is valid for 72 hours from the mail; the request's window ends then. */
export function approvalDeadlineOf(arrival: Arrival): string {
  return new Date(Date.parse(arrival.receivedAt) + APPROVAL_WINDOW_MS).toISOString();
}

export function claimFor(decision: RouteDecision, arrival: Arrival, settings: ClaimSettings): ClaimRequest {
  const { approval } = decision;
  const key = requestKey(approval);
  const approvalDeadline = approvalDeadlineOf(arrival);
  return {
    key,
    messageId: arrival.messageId,
    receivedAt: arrival.receivedAt,
    approvalDeadline,
    domain: approval.domain,
    accountId: approval.accountId,
    region: approval.region,
    certificateArn: approval.certificateArn,
    owner: decision.owner.name,
    renewal: approval.renewal,
    trust: decision.authenticated ? 'trusted' : 'unverified',
    recipients: arrival.recipients,
    approvalUrl: approval.approvalUrl,
    linkDigest: approval.approvalUrl ? linkDigest(approval.approvalUrl) : null,
    certificateExpiresAt: approval.expiresAt,
    threadAnchor: threadAnchor(key, settings.senderDomain),
    claimExpiresAt: new Date(settings.now.getTime() + settings.claimTimeoutMs).toISOString(),
    now: settings.now.toISOString(),
    expiresAtEpoch: Math.floor(Date.parse(approvalDeadline) / 1000) + settings.stateDays * DAY_S,
  };
}

/** One ticket mail owed to one queue: where, with which header fields and threading (delivery-profiles.ts). */
export interface QueueDelivery {
  readonly queue: TicketQueue;
  readonly headers: Readonly<Record<string, string>>;
  readonly references: readonly string[];
  readonly inReplyTo: string | undefined;
}

/**
 * SES's id of the first ticket mail to `address`, or null when none was sent there. A request stored before tickets
 * were kept per queue has only `ticketMessageId`: that one mail went to every queue.
 */
export function firstTicketTo(request: StoredRequest, address: string): string | null {
  if (Object.keys(request.ticketMessageIds).length === 0) return request.ticketMessageId;
  return request.ticketMessageIds[address.toLowerCase()] ?? null;
}

/**
 * The ticket mails a request still needs, one per queue: each queue has its own system, so its own headers and its
 * own first ticket to thread by. A first delivery goes to every queue that has no ticket yet (a retry after a partial
 * send skips those that have one); a follow-up goes to every queue. A watched address is never mailed (the
 * configuration refuses it; this is the second guard), and a queue listed twice gets one mail.
 */
export function ticketDeliveries(
  request: StoredRequest,
  queues: readonly TicketQueue[],
  settings: { readonly region: string; readonly followUp: boolean; readonly watched: ReadonlySet<string> },
): QueueDelivery[] {
  const seen = new Set<string>();
  const deliveries: QueueDelivery[] = [];
  for (const queue of queues) {
    const address = queue.address.toLowerCase();
    if (settings.watched.has(address) || seen.has(address)) continue;
    seen.add(address);
    const firstTicket = firstTicketTo(request, address);
    if (!settings.followUp && firstTicket !== null) continue;
    const threading = queueThreading(
      queue.system,
      {
        anchor: request.threadAnchor,
        firstTicket: firstTicket === null ? null : sesMessageIdOf(firstTicket, settings.region),
      },
      settings.followUp,
    );
    deliveries.push({
      queue,
      headers: queueMailHeaders(queue.system, settings.followUp ? 'follow-up' : 'ticket', requestDigest(request.key)),
      ...threading,
    });
  }
  return deliveries;
}

/**
 * The live approval link a message beside the ticket may carry (the approvals topic, the product event `ACM Approval
 * Requested`), or null. Only for a routed request (so the account is ours), from trusted mail, to an owner who opted
 * in (`owners[].snsApprovalLinks`): the one rule every such output applies, so they cannot drift apart.
 */
export function shareableApprovalLink(decision: RouteDecision): string | null {
  const { approval, owner, authenticated } = decision;
  return authenticated && owner.snsApprovalLinks ? approval.approvalUrl : null;
}

export interface ApprovalPublication {
  readonly message: object;
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * The approvals topic's message: the request's facts and the ticket it belongs with. The live link goes on the topic
 * only for an owner who chose it, and only from trusted mail (see README).
 */
export function approvalPublication(
  decision: RouteDecision,
  request: StoredRequest,
  details: {
    readonly followUp: boolean;
    readonly rawMail: string;
    readonly ticket: { readonly subject: string; readonly thread: string; readonly messageId: string | null };
  },
): ApprovalPublication {
  const { approval, owner, authenticated } = decision;
  const link = shareableApprovalLink(decision);
  const withLink = link !== null;
  const trust = authenticated ? 'trusted' : 'unverified';
  return {
    message: {
      type: 'approval-request',
      followUp: details.followUp,
      requestKey: request.key,
      domain: approval.domain,
      accountId: approval.accountId,
      region: approval.region,
      certificateArn: approval.certificateArn,
      kind: kindOf(approval),
      trust,
      owner: owner.name,
      firstReceivedAt: request.firstReceivedAt,
      approvalDeadline: request.approvalDeadline,
      addresses: request.addresses.map(presentAddress),
      rawMail: details.rawMail,
      // The ticket this message belongs with: its subject, its thread anchor (References) and SES's id for it.
      ticket: details.ticket,
      approvalUrl: link,
    },
    attributes: {
      domain: approval.domain,
      accountId: approval.accountId,
      region: approval.region,
      owner: owner.snsFilterValue,
      kind: kindOf(approval),
      trust,
      outcome: 'routed',
      link: withLink ? 'included' : 'withheld',
    },
  };
}

function kindOf(approval: ApprovalRequest): 'renewal' | 'new' {
  return approval.renewal ? 'renewal' : 'new';
}
