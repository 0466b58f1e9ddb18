/**
 * One SES receipt record, from the stored raw mail to exactly one recorded outcome. Permanent problems (a mail that
 * cannot be read, one that is not ACM's) are outcomes; transient ones (AWS errors that outlived the SDK's retries, a
 * claim another copy still holds) are thrown so Lambda retries the event and, after that, dead-letters it. A mail
 * that looks like a canary probe is decided first, by process-probe.ts: a probe or suspicious, nothing else.
 */
import type { SESEventRecord } from 'aws-lambda';
import { type AccountDirectory, accountDirectory } from '../core/accounts.js';
import { looksLikeProbe } from '../core/canary/probe-check.js';
import type { Configuration } from '../core/configuration/index.js';
import { domainOf, watchedAddresses } from '../core/configuration/index.js';
import { DEFAULT_LIMITS, type ParseLimits, resolveLimits } from '../core/limits.js';
import { OUTCOME_METRICS, PRODUCT_EVENT_METRICS } from '../core/metrics.js';
import type { TxtResolver } from '../core/own-dkim.js';
import { analyseMail } from '../core/parse-mail.js';
import type { ProductEvent } from '../core/product-events.js';
import { type NotAcmSummaryFacts, renderNotAcmSummary } from '../core/routing/alerts.js';
import { type Decision, decideMail, type MailFacts } from '../core/routing/decide.js';
import { linkForLog } from '../core/routing/defang.js';
import {
  type Arrival,
  approvalDeadlineOf,
  approvalPublication,
  claimFor,
  type RouteDecision,
  ticketDeliveries,
} from '../core/routing/delivery.js';
import { personMailHeaders, queueMailHeaders } from '../core/routing/delivery-profiles.js';
import type { Outcome } from '../core/routing/outcomes.js';
import { approvalRequestedEvent, securityAlertEvent } from '../core/routing/product-events-out.js';
import {
  alertPublication,
  FORGERY_ALERTS_PER_HOUR,
  forgeryAlertBucket,
  type SecurityAlert,
  securityAlertFor,
  securityRecordFor,
} from '../core/routing/security-outcome.js';
import { describeVerdicts, receiptVerdicts, receivedAtOf } from '../core/routing/ses-event.js';
import { renderTicket } from '../core/routing/ticket.js';
import type { Claim, SecurityEventFacts } from '../core/state.js';
import type { AcmMailResult } from '../core/types.js';
import type { AccountSource } from '../ports/accounts.js';
import type { CanaryStore, ProbeKeySource } from '../ports/canary.js';
import type { Log, Metrics } from '../ports/observability.js';
import type { ProductEventBus } from '../ports/product-events.js';
import type { MailArchive, Notifier, RequestStore, StoredMail } from '../ports/router.js';
import { makeProbeProcessor } from './process-probe.js';

export interface RouterDeps {
  readonly configuration: Configuration;
  readonly archive: MailArchive;
  readonly store: RequestStore;
  /**
   * Which accounts are ours: the configuration's list, and the organisation's when it reads them.
   * @default the configuration's list (required when the configuration reads the organisation's accounts)
   */
  readonly accounts?: AccountSource;
  readonly notifier: Notifier;
  /** The central event bus: each routed request and each security alert also goes out as a product event. */
  readonly events: ProductEventBus;
  readonly metrics: Metrics;
  readonly logger: Log;
  readonly clock: () => Date;
  /** DNS TXT lookups for our own check of ACM's DKIM signature (the system's resolver in Lambda, cached). */
  readonly dkimResolver: TxtResolver;
  /** The key canary probes are signed with: read only when a mail that looks like a probe arrives. */
  readonly probeKeys: ProbeKeySource;
  /** Where probe arrivals are recorded (the canary's records in the state table). */
  readonly canary: CanaryStore;
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

const DAY_S = 24 * 60 * 60;

export function makeMailProcessor(deps: RouterDeps) {
  const config = deps.configuration;
  const limits = resolveLimits(deps.limits ?? DEFAULT_LIMITS);
  const senderDomain = domainOf(config.sender);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const claimWaits = deps.claimWaitsMs ?? [50, 100, 200, 400, 800, 1600, 3000];
  const claimTimeoutMs = deps.claimTimeoutMs ?? 120_000;
  const listedAccounts = accountDirectory(config.accounts.list);
  if (config.accounts.fromOrganization !== null && deps.accounts === undefined) {
    throw new Error(
      'the configuration reads accounts from AWS Organizations, but the router was given no account source',
    );
  }
  const accounts: AccountSource = deps.accounts ?? { directory: async () => listedAccounts };
  const watched = watchedAddresses(config);
  const fallbackOwner = config.owners.find((owner) => owner.name === config.fallbackOwner);
  const stateExpiry = () => epochSeconds(deps.clock()) + config.retention.stateDays * DAY_S;
  const processProbe = makeProbeProcessor(deps, { alertOnce });

  return async function processMail(record: SESEventRecord): Promise<MailOutcome> {
    const { mail, receipt } = record.ses;
    const messageId = mail.messageId;
    const recorded = await deps.store.recordedOutcome(messageId);
    if (recorded !== null) {
      deps.logger.info('outcome already recorded', { messageId, outcome: recorded.outcome });
      // A put that failed after the outcome was recorded: this retry (or a replay) puts the events again.
      await putEvents(messageId, recorded.pendingEvents);
      return { messageId, outcome: recorded.outcome, requestKey: recorded.requestKey, alreadyRecorded: true };
    }

    const stored = await deps.archive.readInbound(messageId, limits.maxMailBytes + 1);
    if (stored === null) {
      // SES stores the object before it invokes us; a missing one is worth retries, then the dead-letter queue.
      throw new Error(`raw mail ${deps.archive.inboundLocation(messageId)} does not exist (yet)`);
    }
    const {
      result,
      headers: facts,
      ses,
    } = await analyseMail(stored.bytes, {
      receipt: receiptVerdicts(receipt),
      limits,
      dkim: { resolver: deps.dkimResolver, now: deps.clock() },
    });
    const arrival: Arrival = {
      messageId,
      receivedAt: receivedAtOf(mail.timestamp, deps.clock()),
      recipients: receipt.recipients,
    };
    const rawMail = deps.archive.inboundLocation(messageId);
    // Probes first: the probe header is anyone's to write, so a mail carrying it is a probe or suspicious, and never
    // reaches the loop guard (which would quiet it: probes carry our project header) or a ticket.
    const handled = looksLikeProbe(facts)
      ? await processProbe({
          arrival,
          facts,
          ses,
          subject: result.subject,
          bytes: stored.bytes,
          rawMail,
          envelopeFrom: mail.source || null,
          verdicts: describeVerdicts(receipt),
        })
      : await decideAndHandle(result, facts, arrival, stored, rawMail, mail.source || null, describeVerdicts(receipt));

    const standing = await deps.store.recordOutcome({
      messageId,
      outcome: handled.outcome,
      requestKey: handled.requestKey,
      reasons: handled.reasons ?? [...result.reasons, ...(handled.detail ? [handled.detail] : [])],
      detail: handled.detail,
      security: handled.security,
      recordedAt: deps.clock().toISOString(),
      expiresAtEpoch: stateExpiry(),
      // Recorded with the outcome, put after it: a failed put leaves them here for the retry (README, "Events out").
      ...(handled.events && handled.events.length > 0 ? { pendingEvents: handled.events } : {}),
    });
    deps.metrics.count(OUTCOME_METRICS[standing.outcome]);
    deps.logger.info('outcome recorded', { messageId, outcome: standing.outcome, requestKey: standing.requestKey });
    await putEvents(messageId, standing.pendingEvents);
    return { messageId, outcome: standing.outcome, requestKey: standing.requestKey, alreadyRecorded: false };
  };

  /**
   * Puts an outcome's pending events on the central bus, then forgets them. A failure throws: the record fails, Lambda
   * retries the event, and the retry finds the outcome recorded with its events still pending and puts them again.
   * Tickets and alerts went out before the outcome was recorded, so a bus outage never holds them back.
   */
  async function putEvents(messageId: string, events: readonly ProductEvent[] | undefined): Promise<void> {
    if (events === undefined || events.length === 0) return;
    await deps.events.publish(events);
    for (const _ of events) deps.metrics.count(PRODUCT_EVENT_METRICS.eventsPut);
    deps.logger.info('product events put', {
      messageId,
      detailTypes: events.map((event) => event.detailType),
    });
    await deps.store.markEventsPut(messageId);
  }

  /** Every mail that does not look like a probe: the trust gate's verdict, then the decision it calls for. */
  async function decideAndHandle(
    result: AcmMailResult,
    facts: MailFacts,
    arrival: Arrival,
    stored: StoredMail,
    rawMail: string,
    envelopeFrom: string | null,
    verdicts: string,
  ): Promise<Handled> {
    const { messageId } = arrival;
    // Only a request the trust gate did not find suspicious asks the account source (which may call AWS
    // Organizations): trust is decided first, so a forgery is alerted even while Organizations cannot be read.
    const accountId = result.trust === 'suspicious' ? undefined : result.approval?.accountId;
    let ours = accountId === undefined ? listedAccounts : await accounts.directory();
    if (accountId !== undefined && !ours.isOurs(accountId)) ours = await accounts.directory(accountId);
    const decision = decideMail(result, facts, config, ours);
    deps.logger.info('mail decided', {
      messageId,
      kind: result.kind,
      trust: result.trust,
      reasons: result.reasons,
      domain: result.approval?.domain,
      accountId: result.approval?.accountId,
      link: linkForLog(result.approval?.approvalUrl ?? null),
      decision: decision.outcome,
    });

    if (decision.outcome === 'route') return route(decision, arrival, rawMail, ours);
    if (decision.outcome === 'not-acm') return notAcm(decision, result, arrival, stored, facts.from, rawMail);
    const quarantined = await deps.archive.quarantine(messageId, stored.bytes);
    const alert = securityAlertFor(decision, result, {
      receivedAt: arrival.receivedAt,
      recipients: arrival.recipients,
      from: facts.from ?? facts.claimedFrom[0] ?? null,
      envelopeFrom,
      verdicts,
      rawMail,
      quarantined,
      messageId,
    });
    const sent = await alertOnce(alert, messageId, rawMail);
    const record = securityRecordFor(decision, result);
    // The event goes where the alert goes: once per alert identity, within the hourly budget of forgery alerts.
    const events = sent
      ? [
          securityAlertEvent(
            {
              outcome: decision.outcome,
              messageId,
              reasons: decision.reasons,
              security: record.security,
              receivedAt: arrival.receivedAt,
              mailLocation: quarantined,
              at: deps.clock(),
            },
            config,
          ),
        ]
      : [];
    return { outcome: decision.outcome, ...record, events };
  }

  async function notAcm(
    decision: Extract<Decision, { outcome: 'not-acm' }>,
    result: AcmMailResult,
    arrival: Arrival,
    stored: StoredMail,
    from: string | null,
    rawMail: string,
  ): Promise<Handled> {
    if (decision.loop !== null) return { outcome: 'not-acm', requestKey: null, detail: `loop-guard:${decision.loop}` };
    const summarised = await summariseNotAcm({
      from,
      subject: result.subject,
      sizeBytes: stored.sizeBytes,
      rawMail,
      reasons: result.reasons,
      receivedAt: arrival.receivedAt,
      recipients: arrival.recipients,
      locale: fallbackOwner?.locale ?? 'en',
      timeZone: fallbackOwner?.timeZone ?? config.digest.timeZone,
    });
    return { outcome: 'not-acm', requestKey: null, detail: summarised ? 'summarised' : null };
  }

  /** Claims the request (waiting while another copy holds it), then delivers what is still missing. */
  async function route(
    decision: RouteDecision,
    arrival: Arrival,
    rawMail: string,
    ours: AccountDirectory,
  ): Promise<Handled> {
    const { approval, owner } = decision;
    let claim: Claim;
    for (let look = 0; ; look += 1) {
      claim = await deps.store.claim(
        claimFor(decision, arrival, {
          now: deps.clock(),
          claimTimeoutMs,
          senderDomain,
          stateDays: config.retention.stateDays,
        }),
      );
      if (claim.kind !== 'in-progress') break;
      const wait = claimWaits[look];
      if (wait === undefined) {
        throw new ClaimInProgressError(
          `request ${claim.request.key}: another copy still holds the claim; Lambda will retry`,
        );
      }
      await sleep(wait);
    }
    const key = claim.request.key;
    deps.logger.info('request claimed', { messageId: arrival.messageId, requestKey: key, claim: claim.kind });
    if (claim.kind === 'duplicate') return { outcome: 'duplicate', requestKey: key, detail: null };

    const followUp = claim.kind === 'follow-up';
    const request = claim.request;
    const ticket = renderTicket({
      approval,
      ownerName: owner.name,
      accountName: ours.nameOf(approval.accountId),
      authenticated: decision.authenticated,
      firstReceivedAt: request.firstReceivedAt,
      approvalDeadline: followUp ? approvalDeadlineOf(arrival) : request.approvalDeadline,
      addresses: [...new Set([...request.addresses, ...arrival.recipients])].sort(),
      rawMail,
      now: deps.clock(),
      followUp,
      locale: owner.locale,
      timeZone: owner.timeZone ?? config.digest.timeZone,
      firstTicketSubject: request.ticketSubject,
    });
    // The approvals message names the first ticket mail, or for a follow-up the first follow-up mail.
    let ticketMessageId = followUp ? null : request.ticketMessageId;
    // One mail per queue, each marked as soon as SES took it: a retry after a partial send mails only the rest.
    const sent: Record<string, string> = { ...request.ticketMessageIds };
    for (const delivery of ticketDeliveries(request, owner.ticketQueue, { region: config.region, followUp, watched })) {
      const sesMessageId = await deps.notifier.sendMail({
        to: [delivery.queue.address],
        replyTo: owner.replyTo,
        subject: ticket.subject,
        text: ticket.text,
        html: ticket.html,
        headers: delivery.headers,
        references: delivery.references,
        inReplyTo: delivery.inReplyTo,
      });
      deps.logger.info('ticket mail sent', {
        messageId: arrival.messageId,
        requestKey: key,
        system: delivery.queue.system,
        followUp,
      });
      if (!followUp) {
        sent[delivery.queue.address.toLowerCase()] = sesMessageId;
        await deps.store.markTicketSent(key, arrival.messageId, sent, ticket.subject);
      }
      ticketMessageId ??= sesMessageId;
    }
    ticketMessageId ??= request.ticketMessageId;
    if (followUp || request.publishedAt === null) {
      const publication = approvalPublication(decision, request, {
        followUp,
        rawMail,
        ticket: { subject: ticket.subject, thread: request.threadAnchor, messageId: ticketMessageId },
      });
      await deps.notifier.publish('approvals', publication.message, publication.attributes);
      if (!followUp) await deps.store.markPublished(key, arrival.messageId, deps.clock().toISOString());
    }
    if (followUp) await deps.store.finishFollowUp(key, arrival.messageId);
    else await deps.store.markDelivered(key, arrival.messageId);
    const event = approvalRequestedEvent({
      decision,
      arrival,
      requestKey: key,
      followUp,
      accountName: ours.nameOf(approval.accountId),
      approvalDeadline: followUp ? approvalDeadlineOf(arrival) : request.approvalDeadline,
      ticketSubject: ticket.subject,
      at: deps.clock(),
    });
    return { outcome: 'routed', requestKey: key, detail: followUp ? 'follow-up' : null, events: [event] };
  }

  /**
   * The first copy to claim the alert's identity sends it (mail to the security contact and the alerts topic). True
   * when this copy sent it.
   */
  async function alertOnce(alert: SecurityAlert, messageId: string, rawMail: string): Promise<boolean> {
    if (!(await deps.store.claimAlert(alert.identity, messageId, stateExpiry()))) return false;
    if (alert.budgeted) {
      const now = deps.clock();
      const slot = await deps.store.takeHourlySlot(
        forgeryAlertBucket(now),
        FORGERY_ALERTS_PER_HOUR,
        epochSeconds(now) + DAY_S,
      );
      if (!slot) {
        // Still quarantined, recorded and counted (the SuspiciousMail alarm fires); only the mail and message wait.
        deps.logger.warn('alert withheld by the hourly budget', {
          messageId,
          kind: alert.kind,
          identity: alert.identity,
          perHour: FORGERY_ALERTS_PER_HOUR,
        });
        return false;
      }
    }
    // The security contact is a person or a team's mailbox: the alert says it is automatic.
    await deps.notifier.sendMail({ to: [config.securityContact], headers: personMailHeaders('alert'), ...alert.mail });
    const publication = alertPublication(alert, messageId, rawMail);
    await deps.notifier.publish('alerts', publication.message, publication.attributes);
    return true;
  }

  /** One summary of mail that is not ACM's to the fallback owner, within the hourly budget. */
  async function summariseNotAcm(facts: NotAcmSummaryFacts): Promise<boolean> {
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
    // Into the fallback owner's queues like a ticket: one mail per queue, each with its system's headers.
    const summary = renderNotAcmSummary(facts);
    const addresses = new Set<string>();
    for (const queue of fallback.ticketQueue) {
      const address = queue.address.toLowerCase();
      if (watched.has(address) || addresses.has(address)) continue;
      addresses.add(address);
      await deps.notifier.sendMail({
        to: [queue.address],
        replyTo: fallback.replyTo,
        headers: queueMailHeaders(queue.system, 'summary'),
        ...summary,
      });
    }
    return true;
  }
}

export interface Handled {
  readonly outcome: Outcome;
  readonly requestKey: string | null;
  readonly detail: string | null;
  readonly security?: SecurityEventFacts;
  /** What the outcome records as its reasons, when not the trust gate's (a probe's own). */
  readonly reasons?: readonly string[];
  /** The product events the outcome owes the central bus (core/routing/product-events-out.ts). */
  readonly events?: readonly ProductEvent[];
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
