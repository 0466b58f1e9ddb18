/**
 * What the router writes and sends for a request it routes to an owner: its claim on the request, the ticket mail's
 * threading, and the approvals topic's message. Pure: the router's process-mail.ts only orders the side effects.
 */
import type { ClaimRequest, StoredRequest } from '../state.js';
import type { ApprovalRequest } from '../types.js';
import type { Decision } from './decide.js';
import { presentAddress } from './defang.js';
import { APPROVAL_WINDOW_MS } from './outcomes.js';
import { linkDigest, requestKey, threadAnchor } from './request-key.js';
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

/**
 * The ticket's threading: every mail about one request references its anchor, and the first ticket once SES has
 * named it, so ticket systems thread a double send or a follow-up into the same ticket.
 */
export function ticketThreading(
  request: StoredRequest,
  region: string,
  followUp: boolean,
): { readonly references: readonly string[]; readonly inReplyTo: string | undefined } {
  const firstTicket = request.ticketMessageId ? [sesMessageIdOf(request.ticketMessageId, region)] : [];
  return {
    references: [request.threadAnchor, ...firstTicket],
    inReplyTo: followUp ? request.threadAnchor : undefined,
  };
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
  const withLink = authenticated && owner.snsApprovalLinks && approval.approvalUrl !== null;
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
      approvalUrl: withLink ? approval.approvalUrl : null,
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
