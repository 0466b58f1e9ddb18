/**
 * The events handler: one of ACM's events (forwarded from a member account to the central bus), to exactly one
 * recorded outcome per event id. A certificate issued closes its open requests (the follow-up in each ticket's
 * thread; the digest shows them done); a renewal due with no approval mail in its window alerts the owner and the
 * security contact, once per certificate and window; an expiry is recorded. Transient failures throw: Lambda retries
 * the event, then sends it to the dead-letter queue. A retry finds what is already done and does only the rest.
 */
import { accountDirectory } from '../core/accounts.js';
import { ACM_EVENT_TYPES, type AcmCertificateEvent, readAcmEvent } from '../core/acm-events/acm-event.js';
import {
  type AcmEventDecision,
  type AcmEventOutcome,
  type DescribedCertificate,
  decideAcmEvent,
} from '../core/acm-events/decide.js';
import { renderIssuedFollowUp, renderRenewalMailMissingAlert, shownDomain } from '../core/acm-events/mail.js';
import { type Configuration, watchedAddresses } from '../core/configuration/index.js';
import { ACM_EVENT_METRICS } from '../core/metrics.js';
import { PRODUCT_EVENT_SCHEMA_VERSION, PRODUCT_EVENT_TYPES } from '../core/product-events.js';
import { ticketDeliveries } from '../core/routing/delivery.js';
import { personMailHeaders, queueMailHeaders } from '../core/routing/delivery-profiles.js';
import { routeToOwner } from '../core/routing/owner-routing.js';
import type { CertificateRequestState } from '../core/state.js';
import type { CertificateDescriber, CertificateEventStore } from '../ports/acm-events.js';
import type { Log, Metrics } from '../ports/observability.js';
import type { ProductEventBus } from '../ports/product-events.js';
import type { Notifier } from '../ports/router.js';

export interface AcmEventsDeps {
  readonly configuration: Configuration;
  readonly store: CertificateEventStore;
  /** ACM through the accounts' status roles. @default - none: decided from the event and the mail seen */
  readonly describer?: CertificateDescriber;
  /** Ticket follow-ups and alerts (SES), the alerts topic (SNS): the router's notifier. */
  readonly notifier: Notifier;
  /** Where `ACM Certificate Issued` and `ACM Renewal Mail Missing` go (the central bus). */
  readonly productEvents: ProductEventBus;
  readonly metrics: Metrics;
  readonly logger: Log;
  readonly clock: () => Date;
}

export interface AcmEventResult {
  readonly eventId: string;
  readonly outcome: AcmEventOutcome;
  readonly requestKeys: readonly string[];
  /** True when the outcome was already recorded (a retry or a duplicate delivery): nothing was done again. */
  readonly alreadyRecorded: boolean;
}

interface Handled {
  readonly outcome: AcmEventOutcome;
  readonly requestKeys: readonly string[];
  readonly detail: string | null;
}

const DAY_S = 24 * 60 * 60;
/** How long one delivery holds an event: longer than the function's 60-second timeout. */
const EVENT_LEASE_MS = 2 * 60 * 1000;

/** Another delivery of the same event is acting on it: thrown so that Lambda retries this one later. */
export class AcmEventInProgressError extends Error {
  override readonly name = 'AcmEventInProgressError';
}

export function makeAcmEventsHandler(deps: AcmEventsDeps) {
  const config = deps.configuration;
  const watched = watchedAddresses(config);
  const accounts = accountDirectory(config.accounts.list);
  const stateExpiry = () => Math.floor(deps.clock().getTime() / 1000) + config.retention.stateDays * DAY_S;

  return async (raw: unknown): Promise<AcmEventResult> => {
    try {
      return await handle(raw);
    } finally {
      deps.metrics.flush();
    }
  };

  async function handle(raw: unknown): Promise<AcmEventResult> {
    const reading = readAcmEvent(raw);
    const eventId = reading.kind === 'event' ? reading.event.id : reading.id;
    const recorded = await deps.store.recordedOutcome(eventId);
    if (recorded !== null) {
      deps.logger.info('ACM event outcome already recorded', { eventId, outcome: recorded.outcome });
      return { eventId, outcome: recorded.outcome, requestKeys: recorded.requestKeys, alreadyRecorded: true };
    }
    const now = deps.clock();
    const leased = await deps.store.leaseEvent(
      eventId,
      now.toISOString(),
      new Date(now.getTime() + EVENT_LEASE_MS).toISOString(),
      stateExpiry(),
    );
    if (!leased) {
      throw new AcmEventInProgressError(`ACM event ${eventId} is being handled by another delivery; retry later`);
    }
    let handled: Handled;
    if (reading.kind === 'unreadable') {
      deps.logger.warn('unreadable ACM event', { eventId, reasons: reading.reasons });
      deps.metrics.count(ACM_EVENT_METRICS.unreadableAcmEvent);
      handled = { outcome: 'unreadable', requestKeys: [], detail: reading.reasons.join('; ') };
    } else {
      try {
        handled = await act(reading.event);
      } catch (error) {
        await deps.store.releaseEvent(eventId).catch(() => undefined);
        throw error;
      }
    }
    const event = reading.kind === 'event' ? reading.event : null;
    const standing = await deps.store.recordOutcome({
      eventId,
      outcome: handled.outcome,
      detailType: event?.type ?? null,
      certificateArn: event?.certificateArn ?? null,
      accountId: event?.accountId ?? null,
      requestKeys: handled.requestKeys,
      detail: handled.detail,
      recordedAt: deps.clock().toISOString(),
      expiresAtEpoch: stateExpiry(),
    });
    deps.logger.info('ACM event outcome recorded', {
      eventId,
      outcome: standing.outcome,
      certificateArn: standing.certificateArn,
      requestKeys: standing.requestKeys,
    });
    return { eventId, outcome: standing.outcome, requestKeys: standing.requestKeys, alreadyRecorded: false };
  }

  async function act(event: AcmCertificateEvent): Promise<Handled> {
    const requests = await deps.store.requestsOf(event.certificateArn);
    const renewal =
      event.type === ACM_EVENT_TYPES.approachingExpiration || event.type === ACM_EVENT_TYPES.renewalActionRequired;
    // ACM is asked only when the event itself does not say how the certificate is validated.
    const described: DescribedCertificate | null =
      renewal && event.validationMethod === null && deps.describer
        ? await deps.describer.describe(event.accountId, event.region, event.certificateArn)
        : null;
    const decision = decideAcmEvent({ event, requests, described });
    deps.logger.info('ACM event decided', {
      eventId: event.id,
      type: event.type,
      certificateArn: event.certificateArn,
      accountId: event.accountId,
      requests: requests.length,
      outcome: decision.outcome,
    });
    return carryOut(event, decision);
  }

  async function carryOut(event: AcmCertificateEvent, decision: AcmEventDecision): Promise<Handled> {
    switch (decision.outcome) {
      case 'issued':
        return closeRequests(event, decision.close);
      case 'renewal-mail-missing':
        return alertMissingMail(event, decision);
      case 'renewal-mail-arrived':
        return { outcome: decision.outcome, requestKeys: decision.requestKeys, detail: null };
      case 'renewal-not-email-validated':
        return { outcome: decision.outcome, requestKeys: [], detail: decision.method };
      case 'renewal-unknown':
        deps.logger.warn('renewal due, but whether approval mail is expected cannot be known', {
          eventId: event.id,
          certificateArn: event.certificateArn,
          why: decision.why,
        });
        return { outcome: decision.outcome, requestKeys: [], detail: decision.why };
      case 'renewal-window-opening':
        return { outcome: decision.outcome, requestKeys: [], detail: `window from ${decision.window.start}` };
      case 'expired':
        deps.logger.warn('ACM says a certificate expired', {
          eventId: event.id,
          certificateArn: event.certificateArn,
          openRequests: decision.openRequestKeys,
        });
        deps.metrics.count(ACM_EVENT_METRICS.certificateExpired);
        return { outcome: decision.outcome, requestKeys: decision.openRequestKeys, detail: null };
      case 'issued-no-request':
        return { outcome: decision.outcome, requestKeys: [], detail: null };
    }
  }

  /** Each open request: recorded as issued (once), then its follow-up in every queue's thread (once). */
  async function closeRequests(event: AcmCertificateEvent, open: readonly CertificateRequestState[]): Promise<Handled> {
    const closed: CertificateRequestState[] = [];
    for (const request of open) {
      if (!(await deps.store.markIssued(request.key, event.id, event.time))) continue;
      closed.push(request);
      if (request.issuedByEvent === event.id && request.issuedNoticeSentAt !== null) continue;
      const owner = config.owners.find((candidate) => candidate.name === request.owner) ?? fallbackOwner();
      const mail = renderIssuedFollowUp(request, event, accounts.nameOf(request.accountId));
      const deliveries = ticketDeliveries(request, owner.ticketQueue, {
        region: config.region,
        followUp: true,
        watched,
      });
      for (const delivery of deliveries) {
        await deps.notifier.sendMail({
          to: [delivery.queue.address],
          replyTo: owner.replyTo,
          ...mail,
          headers: delivery.headers,
          references: delivery.references,
          inReplyTo: delivery.inReplyTo,
        });
      }
      await deps.store.markIssuedNoticeSent(request.key, event.id, deps.clock().toISOString());
      deps.metrics.count(ACM_EVENT_METRICS.certificateIssued);
      deps.logger.info('request recorded as issued; follow-up sent', {
        eventId: event.id,
        requestKey: request.key,
        queues: deliveries.length,
      });
    }
    const requestKeys = closed.map((request) => request.key);
    if (closed.length === 0) return { outcome: 'issued-no-request', requestKeys, detail: 'already issued' };
    await deps.productEvents.publish([
      {
        detailType: PRODUCT_EVENT_TYPES.certificateIssued,
        detail: {
          schemaVersion: PRODUCT_EVENT_SCHEMA_VERSION,
          outcomeKey: event.id,
          owner: closed[0]?.owner ?? null,
          certificateArn: event.certificateArn,
          accountId: event.accountId,
          region: event.region,
          requestKeys,
          issuedAt: event.time,
        },
        resources: [event.certificateArn],
        time: event.time,
      },
    ]);
    return { outcome: 'issued', requestKeys, detail: null };
  }

  async function alertMissingMail(
    event: AcmCertificateEvent,
    decision: Extract<AcmEventDecision, { outcome: 'renewal-mail-missing' }>,
  ): Promise<Handled> {
    const { window } = decision;
    const owner = routeToOwner({ domain: decision.domain, accountId: event.accountId }, config).owner;
    // Kept until the window's certificate has expired, and the state retention after that.
    const markerExpiry =
      Math.floor(Date.parse(window.certificateExpiresAt) / 1000) + config.retention.stateDays * DAY_S;
    if (!(await deps.store.claimRenewalAlert(event.certificateArn, event.id, window, markerExpiry))) {
      return { outcome: 'renewal-mail-missing', requestKeys: [], detail: 'already alerted for this window' };
    }
    const knownBy = decision.expectation.expected === true ? decision.expectation.because : 'mail-seen';
    const mail = renderRenewalMailMissingAlert({
      event,
      window,
      domain: decision.domain,
      accountName: accounts.nameOf(event.accountId),
      owner: owner.name,
      knownBy,
      receivingRegion: config.region,
    });
    // The owner's queues, each with its system's headers (as a ticket: a queue drops "automatic" mail), then the
    // security contact as a person.
    const queues = new Set<string>();
    for (const queue of owner.ticketQueue) {
      const address = queue.address.toLowerCase();
      if (watched.has(address) || queues.has(address)) continue;
      queues.add(address);
      await deps.notifier.sendMail({
        to: [queue.address],
        replyTo: owner.replyTo,
        headers: queueMailHeaders(queue.system, 'alert'),
        ...mail,
      });
    }
    await deps.notifier.sendMail({ to: [config.securityContact], headers: personMailHeaders('alert'), ...mail });
    await deps.notifier.publish(
      'alerts',
      {
        type: 'renewal-mail-missing',
        eventId: event.id,
        acmEventType: event.type,
        certificateArn: event.certificateArn,
        accountId: event.accountId,
        region: event.region,
        domain: shownDomain(decision.domain),
        owner: owner.name,
        windowStart: window.start,
        certificateExpiresAt: window.certificateExpiresAt,
        daysToExpiry: event.daysToExpiry,
      },
      { kind: 'renewal-mail-missing', accountId: event.accountId, region: event.region, owner: owner.snsFilterValue },
    );
    await deps.productEvents.publish([
      {
        detailType: PRODUCT_EVENT_TYPES.renewalMailMissing,
        detail: {
          schemaVersion: PRODUCT_EVENT_SCHEMA_VERSION,
          outcomeKey: event.id,
          owner: owner.name,
          certificateArn: event.certificateArn,
          accountId: event.accountId,
          region: event.region,
          commonName: event.commonName === null ? null : shownDomain(event.commonName),
          acmEventType: event.type as
            | 'ACM Certificate Renewal Action Required'
            | 'ACM Certificate Approaching Expiration',
          daysToExpiry: event.daysToExpiry,
          windowStart: window.start,
        },
        resources: [event.certificateArn],
        time: event.time,
      },
    ]);
    deps.metrics.count(ACM_EVENT_METRICS.renewalMailMissing);
    deps.logger.warn('renewal due but no approval mail arrived: alerted', {
      eventId: event.id,
      certificateArn: event.certificateArn,
      owner: owner.name,
      windowStart: window.start,
    });
    return { outcome: 'renewal-mail-missing', requestKeys: [], detail: 'alerted' };
  }

  function fallbackOwner() {
    const owner = config.owners.find((candidate) => candidate.name === config.fallbackOwner);
    // The configuration's cross-field checks guarantee the fallback owner exists; this guards the type only.
    if (owner === undefined) throw new Error(`fallbackOwner "${config.fallbackOwner}" is not configured`);
    return owner;
  }
}
