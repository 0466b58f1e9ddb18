/**
 * The router's ports in memory, for fast unit tests of every decision branch. The request store keeps the same
 * claim protocol as the DynamoDB store (test/adapters/request-store-contract.test.ts runs one suite of behaviour
 * against both), so a test that passes here says something about production.
 */
import { countingMetrics } from '../../handlers/adapters/observability.js';
import type { ProductEvent } from '../../handlers/core/product-events.js';
import type { Claim, ClaimRequest, OutcomeRecord, SeenLink, StoredRequest } from '../../handlers/core/state.js';
import type { OutgoingMail } from '../../handlers/ports/mail.js';
import type { Log } from '../../handlers/ports/observability.js';
import type { ProductEventBus } from '../../handlers/ports/product-events.js';
import type { MailArchive, Notifier, RequestStore, Topic } from '../../handlers/ports/router.js';
import { fixedProbeKey, inMemoryCanaryStore } from './in-memory-canary.js';

interface RequestState {
  request: StoredRequest;
  linkDigests: Set<string>;
  links: Map<string, SeenLink>;
  claimExpiresAt: string | null;
}

/** Thrown where DynamoDB's conditional write would fail: a claim that is not ours. */
export class ConditionFailed extends Error {
  override readonly name = 'ConditionalCheckFailedException';
}

export function inMemoryRequestStore(): RequestStore & {
  readonly outcomes: ReadonlyMap<string, OutcomeRecord>;
  readonly closedWindows: readonly StoredRequest[];
  current(key: string): StoredRequest | null;
} {
  const requests = new Map<string, RequestState>();
  const outcomes = new Map<string, OutcomeRecord>();
  const alerts = new Map<string, string>();
  const budgets = new Map<string, number>();
  const closedWindows: StoredRequest[] = [];

  const snapshot = (state: RequestState): StoredRequest => ({
    ...state.request,
    addresses: [...state.request.addresses].sort(),
    links: [...state.links.values()].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)),
  });
  const owned = (key: string, messageId: string): RequestState => {
    const state = requests.get(key);
    if (state?.request.claimedBy !== messageId)
      throw new ConditionFailed(`request ${key} is not claimed by ${messageId}`);
    return state;
  };
  const seen = (claim: ClaimRequest): SeenLink => ({
    url: claim.approvalUrl ?? '',
    trust: claim.trust,
    receivedAt: claim.receivedAt,
  });

  function open(claim: ClaimRequest): Claim {
    const previous = requests.get(claim.key);
    if (previous) closedWindows.push(snapshot(previous));
    const state: RequestState = {
      request: {
        key: claim.key,
        domain: claim.domain,
        accountId: claim.accountId,
        region: claim.region,
        certificateArn: claim.certificateArn,
        owner: claim.owner,
        renewal: claim.renewal,
        trust: claim.trust,
        approvalDeadline: claim.approvalDeadline,
        threadAnchor: claim.threadAnchor,
        firstReceivedAt: claim.receivedAt,
        latestReceivedAt: claim.receivedAt,
        addresses: [...claim.recipients],
        links: [],
        status: 'claimed',
        claimedBy: claim.messageId,
        ticketMessageId: null,
        ticketSubject: null,
        ticketMessageIds: {},
        publishedAt: null,
        pendingFollowUpBy: null,
      },
      linkDigests: new Set(claim.linkDigest ? [claim.linkDigest] : []),
      links: new Map(claim.linkDigest ? [[claim.linkDigest, seen(claim)]] : []),
      claimExpiresAt: claim.claimExpiresAt,
    };
    requests.set(claim.key, state);
    return { kind: 'new', request: snapshot(state) };
  }

  function join(state: RequestState, claim: ClaimRequest): Claim {
    const me = claim.messageId;
    state.request = {
      ...state.request,
      addresses: [...new Set([...state.request.addresses, ...claim.recipients])],
      latestReceivedAt: claim.receivedAt,
    };
    if (state.request.status === 'claimed') {
      if (state.request.claimedBy === me) return { kind: 'resume', request: snapshot(state) };
      if ((state.claimExpiresAt ?? '') > claim.now) return { kind: 'in-progress', request: snapshot(state) };
      // The claimer stopped before delivering: take its claim over.
      state.request = { ...state.request, claimedBy: me };
      state.claimExpiresAt = claim.claimExpiresAt;
      return { kind: 'resume', request: snapshot(state) };
    }
    if (state.request.pendingFollowUpBy === me) return { kind: 'follow-up', request: snapshot(state) };
    const digest = claim.linkDigest;
    if (digest === null || state.linkDigests.has(digest)) {
      const request = snapshot(state);
      // The same link from a trusted copy proves it; an unverified copy of a trusted link changes nothing.
      const link = digest === null ? undefined : state.links.get(digest);
      if (digest !== null && link && claim.trust === 'trusted' && link.trust !== 'trusted') {
        state.links.set(digest, { ...link, trust: 'trusted' });
        state.request = { ...state.request, trust: 'trusted' };
      }
      return { kind: 'duplicate', request };
    }
    if (state.request.pendingFollowUpBy !== null) return { kind: 'in-progress', request: snapshot(state) };
    const before = snapshot(state);
    state.linkDigests.add(digest);
    state.links.set(digest, seen(claim));
    state.request = { ...state.request, pendingFollowUpBy: me };
    // As DynamoDB returns it: the item before the follow-up's own link was added, with the claim taken.
    return { kind: 'follow-up', request: { ...before, pendingFollowUpBy: me } };
  }

  return {
    outcomes,
    closedWindows,
    current: (key) => {
      const state = requests.get(key);
      return state ? snapshot(state) : null;
    },
    async recordedOutcome(messageId) {
      return outcomes.get(messageId) ?? null;
    },
    async recordOutcome(record) {
      const existing = outcomes.get(record.messageId);
      if (existing) return existing;
      outcomes.set(record.messageId, record);
      return record;
    },
    async markEventsPut(messageId) {
      const existing = outcomes.get(messageId);
      if (existing === undefined) return;
      const { pendingEvents: _put, ...rest } = existing;
      outcomes.set(messageId, rest);
    },
    async claim(claim) {
      const state = requests.get(claim.key);
      return state === undefined || state.request.approvalDeadline <= claim.receivedAt
        ? open(claim)
        : join(state, claim);
    },
    async markTicketSent(key, messageId, ticketMessageIds, ticketSubject) {
      const state = owned(key, messageId);
      const [first] = Object.values(ticketMessageIds);
      if (first === undefined) return;
      state.request = {
        ...state.request,
        ticketMessageIds: { ...ticketMessageIds },
        ticketMessageId: state.request.ticketMessageId ?? first,
        ticketSubject,
      };
    },
    async markPublished(key, messageId, at) {
      const state = owned(key, messageId);
      state.request = { ...state.request, publishedAt: at };
    },
    async markDelivered(key, messageId) {
      const state = owned(key, messageId);
      state.request = { ...state.request, status: 'delivered', claimedBy: null };
      state.claimExpiresAt = null;
    },
    async finishFollowUp(key, messageId) {
      const state = requests.get(key);
      if (state?.request.pendingFollowUpBy === messageId) {
        state.request = { ...state.request, pendingFollowUpBy: null };
      }
    },
    async claimAlert(alertKey, messageId) {
      const holder = alerts.get(alertKey);
      if (holder !== undefined && holder !== messageId) return false;
      alerts.set(alertKey, messageId);
      return true;
    },
    async takeHourlySlot(bucket, max) {
      const used = budgets.get(bucket) ?? 0;
      if (used >= max) return false;
      budgets.set(bucket, used + 1);
      return true;
    },
  };
}

export function inMemoryArchive(): MailArchive & {
  store(messageId: string, bytes: Buffer): void;
  readonly quarantined: ReadonlyMap<string, Buffer>;
} {
  const inbound = new Map<string, Buffer>();
  const quarantined = new Map<string, Buffer>();
  return {
    quarantined,
    store: (messageId, bytes) => inbound.set(messageId, bytes),
    async readInbound(messageId, maxBytes) {
      const bytes = inbound.get(messageId);
      return bytes ? { bytes: bytes.subarray(0, maxBytes), sizeBytes: bytes.length } : null;
    },
    async quarantine(messageId, bytes) {
      quarantined.set(messageId, bytes);
      return `memory://quarantine/${messageId}`;
    },
    inboundLocation: (messageId) => `memory://inbound/${messageId}`,
  };
}

export interface Publication {
  readonly topic: Topic;
  readonly message: Record<string, unknown>;
  readonly attributes: Readonly<Record<string, string>>;
}

export function recordingNotifier(): Notifier & {
  readonly mails: (OutgoingMail & { readonly sesMessageId: string })[];
  readonly publications: Publication[];
} {
  const mails: (OutgoingMail & { readonly sesMessageId: string })[] = [];
  const publications: Publication[] = [];
  return {
    mails,
    publications,
    async sendMail(mail) {
      const sesMessageId = `ses-${mails.length + 1}`;
      mails.push({ ...mail, sesMessageId });
      return sesMessageId;
    },
    async publish(topic, message, attributes) {
      publications.push({ topic, message: message as Record<string, unknown>, attributes });
    },
  };
}

/**
 * The central bus in memory: what was put, in order. `failNext` refuses that many puts first (a bus outage that the
 * next attempt outlives).
 */
export function recordingEventBus(): ProductEventBus & { readonly events: ProductEvent[]; failNext: number } {
  const bus = {
    events: [] as ProductEvent[],
    failNext: 0,
    async publish(events: readonly ProductEvent[]) {
      if (bus.failNext > 0) {
        bus.failNext -= 1;
        throw new Error('the event bus is unavailable (stubbed outage)');
      }
      bus.events.push(...events);
    },
  };
  return bus;
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra?: Record<string, unknown>;
}

export function recordingLog(): Log & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message, extra) => lines.push({ level: 'info', message, extra }),
    warn: (message, extra) => lines.push({ level: 'warn', message, extra }),
    error: (message, extra) => lines.push({ level: 'error', message, extra }),
  };
}

/** Every port of the router, in memory, with what each recorded. */
export function inMemoryPorts() {
  return {
    archive: inMemoryArchive(),
    store: inMemoryRequestStore(),
    notifier: recordingNotifier(),
    events: recordingEventBus(),
    logger: recordingLog(),
    metrics: countingMetrics(),
    canary: inMemoryCanaryStore(),
    probeKeys: fixedProbeKey(),
  };
}
