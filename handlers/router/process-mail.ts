/**
 * One SES receipt record, from the stored raw mail to exactly one recorded outcome. Permanent problems (a mail that
 * cannot be read, one that is not ACM's) are outcomes; transient ones (AWS errors that outlived the SDK's retries, a
 * claim another copy still holds) are thrown so Lambda retries the event and, after that, dead-letters it.
 */
import type { SESEventRecord } from 'aws-lambda';
import type { Configuration } from '../core/configuration/index.js';
import { domainOf, watchedAddresses } from '../core/configuration/index.js';
import { DEFAULT_LIMITS, type ParseLimits, resolveLimits } from '../core/limits.js';
import { SECURITY_METRICS } from '../core/metrics.js';
import type { TxtResolver } from '../core/own-dkim.js';
import { analyseMail } from '../core/parse-mail.js';
import {
  type AlertContext,
  renderForeignAccountAlert,
  renderNotAcmSummary,
  renderSuspiciousAlert,
  renderUnparseableAlert,
} from '../core/routing/alerts.js';
import { type Decision, decideMail } from '../core/routing/decide.js';
import { linkForLog, presentAddress } from '../core/routing/defang.js';
import { APPROVAL_WINDOW_MS, type Outcome } from '../core/routing/outcomes.js';
import { linkDigest, requestKey, threadAnchor } from '../core/routing/request-key.js';
import { renderTicket } from '../core/routing/ticket.js';
import type { Claim, SecurityEventFacts, StoredRequest } from '../core/state.js';
import type { AcmMailResult, ApprovalRequest, SesReceipt } from '../core/types.js';
import type { Log, Metrics } from '../ports/observability.js';
import type { MailArchive, Notifier, RequestStore } from '../ports/router.js';

export interface RouterDeps {
  readonly configuration: Configuration;
  readonly archive: MailArchive;
  readonly store: RequestStore;
  readonly notifier: Notifier;
  readonly metrics: Metrics;
  readonly logger: Log;
  readonly clock: () => Date;
  /** DNS TXT lookups for our own check of ACM's DKIM signature (the system's resolver in Lambda, cached). */
  readonly dkimResolver: TxtResolver;
  readonly limits?: Partial<ParseLimits>;
  /** How long a claim protects a delivery in progress before another copy may take it over. @default 120 s */
  readonly claimTimeoutMs?: number;
  /** Waits between looks at a claim another copy holds. @default 50 ms doubling to about 6 s in all */
  readonly claimWaitsMs?: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface MailOutcome {
  readonly messageId: string;
  readonly outcome: Outcome;
  readonly requestKey: string | null;
  /** True when the outcome was already recorded (a retry or a replay): nothing was done again. */
  readonly alreadyRecorded: boolean;
}

/** Thrown when another copy still holds the request's claim after waiting: Lambda retries the event later. */
export class ClaimInProgressError extends Error {
  override readonly name = 'ClaimInProgressError';
}

export const OUTCOME_METRICS: Record<Outcome, string> = {
  routed: 'RoutedMail',
  duplicate: 'DuplicateMail',
  'foreign-account': SECURITY_METRICS.foreignAccountRequest,
  suspicious: SECURITY_METRICS.suspiciousMail,
  'not-acm': 'NotAcmMail',
  unparseable: SECURITY_METRICS.unparseableAcmMail,
};

const DAY_S = 24 * 60 * 60;

export function makeMailProcessor(deps: RouterDeps) {
  const config = deps.configuration;
  const limits = resolveLimits(deps.limits ?? DEFAULT_LIMITS);
  const senderDomain = domainOf(config.sender);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const claimWaits = deps.claimWaitsMs ?? [50, 100, 200, 400, 800, 1600, 3000];
  const claimTimeoutMs = deps.claimTimeoutMs ?? 120_000;
  const accountNames = new Map(config.accounts.map((account) => [account.id, account.name]));
  const watched = watchedAddresses(config);

  return async function processMail(record: SESEventRecord): Promise<MailOutcome> {
    const { mail, receipt } = record.ses;
    const messageId = mail.messageId;
    const recorded = await deps.store.recordedOutcome(messageId);
    if (recorded !== null) {
      deps.logger.info('outcome already recorded', { messageId, outcome: recorded.outcome });
      return { messageId, outcome: recorded.outcome, requestKey: recorded.requestKey, alreadyRecorded: true };
    }

    const stored = await deps.archive.readInbound(messageId, limits.maxMailBytes + 1);
    if (stored === null) {
      // SES stores the object before it invokes us; a missing one is worth retries, then the dead-letter queue.
      throw new Error(`raw mail ${deps.archive.inboundLocation(messageId)} does not exist (yet)`);
    }
    const { result, headers: facts } = await analyseMail(stored.bytes, {
      receipt: eventVerdicts(receipt),
      limits,
      dkim: { resolver: deps.dkimResolver, now: deps.clock() },
    });
    const decision = decideMail(result, facts, config);
    const receivedAt = new Date(Date.parse(mail.timestamp) || deps.clock().getTime()).toISOString();
    const context: AlertContext = {
      receivedAt,
      recipients: receipt.recipients,
      from: facts.from ?? facts.claimedFrom[0] ?? null,
      envelopeFrom: mail.source || null,
      verdicts: describeVerdicts(receipt),
      rawMail: deps.archive.inboundLocation(messageId),
      quarantined: null,
      messageId,
    };
    const log = {
      messageId,
      kind: result.kind,
      trust: result.trust,
      reasons: result.reasons,
      domain: result.approval?.domain,
      accountId: result.approval?.accountId,
      link: linkForLog(result.approval?.approvalUrl ?? null),
    };
    deps.logger.info('mail decided', { ...log, decision: decision.outcome });

    const handled = await handle(decision, result, {
      messageId,
      receivedAt,
      context,
      facts,
      stored,
      recipients: receipt.recipients,
    });
    const standing = await deps.store.recordOutcome({
      messageId,
      outcome: handled.outcome,
      requestKey: handled.requestKey,
      reasons: [...result.reasons, ...(handled.detail ? [handled.detail] : [])],
      detail: handled.detail,
      security: handled.security,
      recordedAt: deps.clock().toISOString(),
      expiresAtEpoch: epochSeconds(deps.clock()) + config.retention.stateDays * DAY_S,
    });
    deps.metrics.count(OUTCOME_METRICS[standing.outcome]);
    deps.logger.info('outcome recorded', { messageId, outcome: standing.outcome, requestKey: standing.requestKey });
    return { messageId, outcome: standing.outcome, requestKey: standing.requestKey, alreadyRecorded: false };
  };

  interface Handled {
    readonly outcome: Outcome;
    readonly requestKey: string | null;
    readonly detail: string | null;
    readonly security?: SecurityEventFacts;
  }

  interface Handling {
    readonly messageId: string;
    readonly receivedAt: string;
    readonly context: AlertContext;
    readonly facts: { readonly from: string | null };
    readonly stored: { readonly bytes: Buffer; readonly sizeBytes: number };
    readonly recipients: readonly string[];
  }

  async function handle(decision: Decision, result: AcmMailResult, h: Handling): Promise<Handled> {
    const security = (approval: ApprovalRequest | null, authenticated: boolean): SecurityEventFacts => ({
      subject: result.subject,
      domain: approval?.domain ?? null,
      accountId: approval?.accountId ?? null,
      region: approval?.region ?? null,
      certificateArn: approval?.certificateArn ?? null,
      authenticated,
    });
    switch (decision.outcome) {
      case 'not-acm': {
        if (decision.loop !== null)
          return { outcome: 'not-acm', requestKey: null, detail: `loop-guard:${decision.loop}` };
        const summarised = await summariseNotAcm(result, h);
        return { outcome: 'not-acm', requestKey: null, detail: summarised ? 'summarised' : null };
      }
      case 'unparseable': {
        const quarantined = await deps.archive.quarantine(h.messageId, h.stored.bytes);
        await alertOnce(
          `message#${h.messageId}`,
          h.messageId,
          'unparseable',
          () => renderUnparseableAlert(decision.reasons, result.subject, { ...h.context, quarantined }),
          { reasons: decision.reasons },
        );
        return { outcome: 'unparseable', requestKey: null, detail: null, security: security(null, false) };
      }
      case 'suspicious': {
        const quarantined = await deps.archive.quarantine(h.messageId, h.stored.bytes);
        const key = decision.approval ? requestKey(decision.approval) : null;
        await alertOnce(
          key ? `suspicious#${key}` : `message#${h.messageId}`,
          h.messageId,
          'suspicious',
          () =>
            renderSuspiciousAlert(decision.reasons, decision.approval, result.subject, { ...h.context, quarantined }),
          { reasons: decision.reasons, ...approvalFacts(decision.approval) },
        );
        return { outcome: 'suspicious', requestKey: key, detail: null, security: security(decision.approval, false) };
      }
      case 'foreign-account': {
        const quarantined = await deps.archive.quarantine(h.messageId, h.stored.bytes);
        const key = requestKey(decision.approval);
        await alertOnce(
          // Claimed per authentication: an unverified copy (anyone can write one, "safe to ignore" in it) must
          // never use up the alert ACM's own mail for the same request raises.
          `foreign#${key}#${decision.authenticated ? 'authenticated' : 'unverified'}`,
          h.messageId,
          'foreign-account',
          () => renderForeignAccountAlert(decision.approval, decision.authenticated, { ...h.context, quarantined }),
          { ...approvalFacts(decision.approval), authenticated: decision.authenticated },
        );
        return {
          outcome: 'foreign-account',
          requestKey: key,
          detail: decision.authenticated ? null : 'unauthenticated',
          security: security(decision.approval, decision.authenticated),
        };
      }
      case 'route':
        return route(decision, h);
    }
  }

  async function route(decision: Extract<Decision, { outcome: 'route' }>, h: Handling): Promise<Handled> {
    const { approval, owner } = decision;
    const key = requestKey(approval);
    const approvalDeadline = new Date(Date.parse(h.receivedAt) + APPROVAL_WINDOW_MS).toISOString();
    let claim: Claim | null = null;
    for (let look = 0; ; look += 1) {
      const now = deps.clock();
      claim = await deps.store.claim({
        key,
        messageId: h.messageId,
        receivedAt: h.receivedAt,
        approvalDeadline,
        domain: approval.domain,
        accountId: approval.accountId,
        region: approval.region,
        certificateArn: approval.certificateArn,
        owner: owner.name,
        renewal: approval.renewal,
        trust: decision.authenticated ? 'trusted' : 'unverified',
        recipients: h.recipients,
        approvalUrl: approval.approvalUrl,
        linkDigest: approval.approvalUrl ? linkDigest(approval.approvalUrl) : null,
        certificateExpiresAt: approval.expiresAt,
        threadAnchor: threadAnchor(key, senderDomain),
        claimExpiresAt: new Date(now.getTime() + claimTimeoutMs).toISOString(),
        now: now.toISOString(),
        expiresAtEpoch: Math.floor(Date.parse(approvalDeadline) / 1000) + config.retention.stateDays * DAY_S,
      });
      if (claim.kind !== 'in-progress') break;
      const wait = claimWaits[look];
      if (wait === undefined) {
        throw new ClaimInProgressError(`request ${key}: another copy still holds the claim; Lambda will retry`);
      }
      await sleep(wait);
    }
    deps.logger.info('request claimed', { messageId: h.messageId, requestKey: key, claim: claim.kind });
    if (claim.kind === 'duplicate') return { outcome: 'duplicate', requestKey: key, detail: null };

    const followUp = claim.kind === 'follow-up';
    const request = claim.request;
    const ticket = renderTicket({
      approval,
      ownerName: owner.name,
      accountName: accountNames.get(approval.accountId) ?? null,
      authenticated: decision.authenticated,
      firstReceivedAt: request.firstReceivedAt,
      approvalDeadline: followUp ? approvalDeadline : request.approvalDeadline,
      addresses: [...new Set([...request.addresses, ...h.recipients])].sort(),
      rawMail: h.context.rawMail,
      now: deps.clock(),
      followUp,
    });
    const firstTicket = request.ticketMessageId
      ? [`<${request.ticketMessageId}@${sesMessageDomain(config.region)}>`]
      : [];
    let ticketMessageId = request.ticketMessageId;
    if (followUp || request.ticketMessageId === null) {
      const sesMessageId = await deps.notifier.sendMail({
        to: owner.ticketQueue.filter((address) => !watched.has(address.toLowerCase())),
        subject: ticket.subject,
        text: ticket.text,
        html: ticket.html,
        references: [request.threadAnchor, ...firstTicket],
        inReplyTo: followUp ? request.threadAnchor : undefined,
      });
      if (!followUp) await deps.store.markTicketSent(key, h.messageId, sesMessageId, ticket.subject);
      ticketMessageId = sesMessageId;
    }
    if (followUp || request.publishedAt === null) {
      // The live link goes on the topic only for an owner who chose it, and only from trusted mail (see README).
      const withLink = decision.authenticated && owner.snsApprovalLinks && approval.approvalUrl !== null;
      await deps.notifier.publish(
        'approvals',
        approvalMessage(approval, request, owner.name, decision.authenticated, followUp, h.context.rawMail, withLink, {
          subject: ticket.subject,
          thread: request.threadAnchor,
          messageId: ticketMessageId,
        }),
        {
          domain: approval.domain,
          accountId: approval.accountId,
          region: approval.region,
          owner: owner.snsFilterValue,
          kind: approval.renewal ? 'renewal' : 'new',
          trust: decision.authenticated ? 'trusted' : 'unverified',
          outcome: 'routed',
          link: withLink ? 'included' : 'withheld',
        },
      );
      if (!followUp) await deps.store.markPublished(key, h.messageId, deps.clock().toISOString());
    }
    if (followUp) await deps.store.finishFollowUp(key, h.messageId);
    else await deps.store.markDelivered(key, h.messageId);
    return { outcome: 'routed', requestKey: key, detail: followUp ? 'follow-up' : null };
  }

  /** The first copy to ask sends the alert (mail to the security contact and a message on the alerts topic). */
  async function alertOnce(
    alertKey: string,
    messageId: string,
    alert: 'foreign-account' | 'suspicious' | 'unparseable',
    render: () => { subject: string; text: string; html: string },
    details: Record<string, unknown>,
  ): Promise<void> {
    const expires = epochSeconds(deps.clock()) + config.retention.stateDays * DAY_S;
    if (!(await deps.store.claimAlert(alertKey, messageId, expires))) return;
    const mail = render();
    await deps.notifier.sendMail({ to: [config.securityContact], ...mail });
    await deps.notifier.publish(
      'alerts',
      {
        type: 'security-alert',
        alert,
        subject: mail.subject,
        messageId,
        rawMail: deps.archive.inboundLocation(messageId),
        ...details,
      },
      { alert, outcome: alert },
    );
  }

  async function summariseNotAcm(result: AcmMailResult, h: Handling): Promise<boolean> {
    if (config.notAcm.mode !== 'summarise') return false;
    const hour = deps.clock().toISOString().slice(0, 13);
    const slot = await deps.store.takeHourlySlot(
      `not-acm#${hour}`,
      config.notAcm.maxSummariesPerHour,
      epochSeconds(deps.clock()) + DAY_S,
    );
    if (!slot) return false;
    const fallback = config.owners.find((owner) => owner.name === config.fallbackOwner);
    if (!fallback) return false;
    const summary = renderNotAcmSummary({
      from: h.facts.from,
      subject: result.subject,
      sizeBytes: h.stored.sizeBytes,
      rawMail: h.context.rawMail,
      reasons: result.reasons,
      receivedAt: h.receivedAt,
      recipients: h.recipients,
    });
    await deps.notifier.sendMail({ to: fallback.ticketQueue, ...summary });
    return true;
  }
}

/** The event's verdicts, or undefined when it carries none (the parser then reads SES's stamped headers). */
function eventVerdicts(receipt: SESEventRecord['ses']['receipt'] | undefined): SesReceipt | undefined {
  if (!receipt) return undefined;
  const present = [receipt.spfVerdict, receipt.dkimVerdict, receipt.spamVerdict, receipt.virusVerdict].some(Boolean);
  return present ? (receipt as SesReceipt) : undefined;
}

/** SES's verdicts in one line, for alerts: `SPF PASS, DKIM PASS, DMARC FAIL, spam PASS, virus PASS`. */
function describeVerdicts(receipt: SESEventRecord['ses']['receipt'] | undefined): string {
  const status = (verdict: { status?: string } | undefined) => verdict?.status ?? 'none';
  return [
    `SPF ${status(receipt?.spfVerdict)}`,
    `DKIM ${status(receipt?.dkimVerdict)}`,
    `DMARC ${status((receipt as { dmarcVerdict?: { status?: string } } | undefined)?.dmarcVerdict)}`,
    `spam ${status(receipt?.spamVerdict)}`,
    `virus ${status(receipt?.virusVerdict)}`,
  ].join(', ');
}

/** SES writes the Message-ID of what it sends as `<id@email.amazonses.com>` (us-east-1) or `<id@<region>.amazonses.com>`. */
function sesMessageDomain(region: string): string {
  return region === 'us-east-1' ? 'email.amazonses.com' : `${region}.amazonses.com`;
}

function approvalFacts(approval: ApprovalRequest | null): Record<string, unknown> {
  if (approval === null) return {};
  return {
    domain: approval.domain,
    accountId: approval.accountId,
    region: approval.region,
    certificateArn: approval.certificateArn,
    renewal: approval.renewal,
  };
}

function approvalMessage(
  approval: ApprovalRequest,
  request: StoredRequest,
  owner: string,
  authenticated: boolean,
  followUp: boolean,
  rawMail: string,
  withLink: boolean,
  ticket: { readonly subject: string; readonly thread: string; readonly messageId: string | null },
): object {
  return {
    type: 'approval-request',
    followUp,
    requestKey: request.key,
    domain: approval.domain,
    accountId: approval.accountId,
    region: approval.region,
    certificateArn: approval.certificateArn,
    kind: approval.renewal ? 'renewal' : 'new',
    trust: authenticated ? 'trusted' : 'unverified',
    owner,
    firstReceivedAt: request.firstReceivedAt,
    approvalDeadline: request.approvalDeadline,
    addresses: request.addresses.map(presentAddress),
    rawMail,
    // The ticket this message belongs with: its subject, its thread anchor (References) and SES's id for it.
    ticket,
    approvalUrl: withLink ? approval.approvalUrl : null,
  };
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
