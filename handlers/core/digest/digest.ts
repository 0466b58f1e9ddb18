/**
 * What each owner's digest and the security summary contain, decided from the state table's current requests and
 * the security outcomes of the period. Pure: the clock and the data come in.
 */
import { type AccountDirectory, accountDirectory } from '../accounts.js';
import type { Configuration, Owner } from '../configuration/index.js';
import type { EstateReport } from '../estate/certificate.js';
import { routeToOwner } from '../routing/owner-routing.js';
import type { DigestRequest, ProbeAddressState, SecurityEvent, SeenLink } from '../state.js';
import { type CanaryLine, canaryLinesOf } from './canary.js';
import type { CertificateStatus } from './certificate-status.js';
import { type EstateSection, estateSectionOf } from './estate.js';
import { sameLocalDay } from './local-time.js';

/**
 * ACM starts mailing renewal approvals 45 days before expiry (ACM User Guide, "Renewal for domains validated by
 * email", email-renewal-validation.html).
 */
export const RENEWAL_HORIZON_DAYS = 45;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * - `expired`: the 72-hour window closed with no known approval: a resend is needed.
 * - `foreign-account`: requested for the owner's domain by an account that is not ours: do not approve.
 * - `open`: waiting for approval.
 * - `done`: ACM says the certificate is issued (or renewed): nothing left to do.
 */
export type EntryState = 'expired' | 'foreign-account' | 'open' | 'done';

export interface DigestEntry {
  readonly state: EntryState;
  readonly domain: string;
  readonly accountId: string;
  readonly accountName: string | null;
  readonly region: string;
  readonly renewal: boolean;
  readonly trust: 'trusted' | 'unverified';
  readonly firstReceivedAt: string;
  /** Null for a foreign-account entry (nobody should approve it). */
  readonly approvalDeadline: string | null;
  readonly expiringToday: boolean;
  readonly certificateExpiresAt: string | null;
  /** Days until the certificate expires, when it is a renewal within 45 days. */
  readonly renewalDueInDays: number | null;
  readonly addresses: readonly string[];
  readonly ticket: string | null;
  /** The newest link that came in trusted mail, else the newest link; null when there is none. */
  readonly approvalUrl: string | null;
  /** The trust of the mail that very link came in: only a `trusted` one, of an open request, is ever clickable. */
  readonly linkTrust: 'trusted' | 'unverified' | null;
  /** A newer link than the one shown came in an unverified copy (a forward, or a forgery): said, never shown. */
  readonly laterUnverifiedLink: boolean;
  readonly certificateArn: string;
  /** From ACM through the account's status role; `unknown` without one. */
  readonly certificateStatus: CertificateStatus;
}

export interface DigestCounts {
  readonly done: number;
  readonly open: number;
  readonly expiringToday: number;
  readonly expired: number;
  readonly security: number;
}

export interface OwnerDigest {
  readonly owner: Owner;
  readonly entries: readonly DigestEntry[];
  readonly counts: DigestCounts;
  /** The canary's word on the addresses the owner depends on (canary.ts); empty when there is none to give. */
  readonly canary: readonly CanaryLine[];
  /** The owner's email-validated certificates (estate.ts); null without an estate or when they own none. */
  readonly estate: EstateSection | null;
}

export interface SecurityDigest {
  /** One per request (or per message when no request could be read), newest first. */
  readonly events: readonly SecurityEvent[];
  readonly counts: { readonly foreignAccount: number; readonly suspicious: number; readonly unparseable: number };
}

export interface DigestInput {
  readonly configuration: Pick<
    Configuration,
    'owners' | 'routing' | 'fallbackOwner' | 'accounts' | 'digest' | 'validationDomains' | 'estate'
  >;
  readonly requests: readonly DigestRequest[];
  readonly securityEvents: readonly SecurityEvent[];
  readonly now: Date;
  /** ACM's answer per request key, where a status role let the digest ask. */
  readonly statuses?: ReadonlyMap<string, CertificateStatus>;
  /** Names the accounts. @default the configuration's list */
  readonly accounts?: AccountDirectory | undefined;
  /** The canary's last word on each watched address; absent when the canary is off or could not be read. */
  readonly canary?: readonly ProbeAddressState[];
  /** The certificate estate as last listed; absent when there is none to show. */
  readonly estate?: EstateReport | undefined;
}

/** What needs action first (soonest deadline first), then what needs a resend, then what must not be approved. */
const STATE_ORDER: Record<EntryState, number> = { open: 0, expired: 1, 'foreign-account': 2, done: 3 };

export function buildDigests(input: DigestInput): { owners: OwnerDigest[]; security: SecurityDigest } {
  const { configuration, now } = input;
  const since = now.getTime() - configuration.digest.lookbackDays * DAY_MS;
  const accounts = input.accounts ?? accountDirectory(configuration.accounts.list);
  // "Today" is the owner's calendar day: an owner may read the digest in another zone than the schedule's.
  const zoneOf = new Map(configuration.owners.map((o) => [o.name, o.timeZone ?? configuration.digest.timeZone]));
  const byOwner = new Map<string, DigestEntry[]>(configuration.owners.map((owner) => [owner.name, []]));

  for (const request of input.requests) {
    const deadline = Date.parse(request.approvalDeadline);
    if (deadline <= since) continue;
    const open = deadline > now.getTime();
    // ACM's own `Certificate Available` event (the events handler) is the word on it; else the status role's answer.
    const certificateStatus: CertificateStatus = request.issuedAt
      ? 'issued'
      : (input.statuses?.get(request.key) ?? 'unknown');
    const link = linkToShow(request.links);
    const expiresIn = request.certificateExpiresAt
      ? Math.ceil((Date.parse(request.certificateExpiresAt) - now.getTime()) / DAY_MS)
      : null;
    byOwner.get(request.owner)?.push({
      state: certificateStatus === 'issued' ? 'done' : open ? 'open' : 'expired',
      domain: request.domain,
      accountId: request.accountId,
      accountName: accounts.nameOf(request.accountId),
      region: request.region,
      renewal: request.renewal,
      trust: link.shown?.trust ?? request.trust,
      firstReceivedAt: request.firstReceivedAt,
      approvalDeadline: request.approvalDeadline,
      expiringToday:
        open &&
        certificateStatus !== 'issued' &&
        sameLocalDay(deadline, now.getTime(), zoneOf.get(request.owner) ?? configuration.digest.timeZone),
      certificateExpiresAt: request.certificateExpiresAt,
      renewalDueInDays: request.renewal && expiresIn !== null && expiresIn <= RENEWAL_HORIZON_DAYS ? expiresIn : null,
      addresses: request.addresses,
      ticket: request.ticketSubject ?? request.ticketMessageId,
      approvalUrl: link.shown?.url ?? null,
      linkTrust: link.shown?.trust ?? null,
      laterUnverifiedLink: link.laterUnverified,
      certificateArn: request.certificateArn,
      certificateStatus,
    });
  }

  const events = latestPerRequest(input.securityEvents.filter((event) => Date.parse(event.recordedAt) > since));
  for (const event of events) {
    if (event.outcome !== 'foreign-account' || event.domain === null || event.accountId === null) continue;
    const { owner } = routeToOwner({ domain: event.domain, accountId: event.accountId }, configuration);
    byOwner.get(owner.name)?.push({
      state: 'foreign-account',
      domain: event.domain,
      accountId: event.accountId,
      accountName: null,
      region: event.region ?? '',
      renewal: false,
      trust: event.authenticated ? 'trusted' : 'unverified',
      firstReceivedAt: event.recordedAt,
      approvalDeadline: null,
      expiringToday: false,
      certificateExpiresAt: null,
      renewalDueInDays: null,
      addresses: [],
      ticket: null,
      approvalUrl: null,
      linkTrust: null,
      laterUnverifiedLink: false,
      certificateArn: event.certificateArn ?? '',
      certificateStatus: 'unknown',
    });
  }

  const owners = configuration.owners
    .map((owner) => {
      const entries = (byOwner.get(owner.name) ?? []).sort(
        (a, b) =>
          STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
          (a.approvalDeadline ?? a.firstReceivedAt).localeCompare(b.approvalDeadline ?? b.firstReceivedAt) ||
          a.domain.localeCompare(b.domain),
      );
      const counts = { done: 0, open: 0, expiringToday: 0, expired: 0, security: 0 };
      for (const entry of entries) {
        if (entry.state === 'foreign-account') counts.security += 1;
        else counts[entry.state] += 1;
        if (entry.expiringToday) counts.expiringToday += 1;
      }
      const canary = canaryLinesOf(owner, input.canary ?? [], configuration);
      const estate = input.estate ? estateSectionOf(owner, input.estate, configuration, now) : null;
      return { owner, entries, counts, canary, estate };
    })
    // A mailbox found missing is news even on a day with no request: the next renewal's mail would be lost there.
    .filter(
      (digest) =>
        digest.entries.length > 0 ||
        configuration.digest.sendEmpty ||
        digest.canary.some((line) => line.mark === 'missing'),
    );

  return {
    owners,
    security: {
      events,
      counts: {
        foreignAccount: events.filter((e) => e.outcome === 'foreign-account').length,
        suspicious: events.filter((e) => e.outcome === 'suspicious').length,
        unparseable: events.filter((e) => e.outcome === 'unparseable').length,
      },
    },
  };
}

/**
 * Which link the digest shows: the newest that came in trusted mail (the one an owner may click), else the newest of
 * all. A newer unverified link is never preferred to a trusted one: it may be phishing.
 */
function linkToShow(links: readonly SeenLink[]): { shown: SeenLink | null; laterUnverified: boolean } {
  // One pass for both: the first of equally new links wins, as it did with a reduce over each list.
  let trusted: SeenLink | null = null;
  let latest: SeenLink | null = null;
  for (const link of links) {
    if (latest === null || link.receivedAt > latest.receivedAt) latest = link;
    if (link.trust === 'trusted' && (trusted === null || link.receivedAt > trusted.receivedAt)) trusted = link;
  }
  return { shown: trusted ?? latest, laterUnverified: trusted !== null && latest !== null && latest !== trusted };
}

/**
 * Five copies of one foreign request are one event: per request key (or per message without one), the latest
 * authenticated one when there is one, else the latest. An unverified copy never hides ACM's own mail.
 */
function latestPerRequest(events: readonly SecurityEvent[]): SecurityEvent[] {
  const latest = new Map<string, SecurityEvent>();
  for (const event of events) {
    const key = `${event.outcome}|${event.requestKey ?? event.messageId}`;
    const seen = latest.get(key);
    const better =
      !seen ||
      (event.authenticated && !seen.authenticated) ||
      (event.authenticated === seen.authenticated && seen.recordedAt < event.recordedAt);
    if (better) latest.set(key, event);
  }
  return [...latest.values()].sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
}
