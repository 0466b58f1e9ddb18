/**
 * The digest Lambda's logic: read what is open and what happened (digest index), build one digest per owner with
 * anything to report and one security summary, send each through SES. The rendered mails are also returned, so the
 * local run and `acm-mail digest --preview` show exactly what would be sent.
 */
import type { AccountDirectory } from '../core/accounts.js';
import { probeTargets } from '../core/canary/targets.js';
import type { Configuration } from '../core/configuration/index.js';
import type { CertificateStatus } from '../core/digest/certificate-status.js';
import { buildDigests } from '../core/digest/digest.js';
import { renderOwnerDigest, renderSecurityDigest } from '../core/digest/render.js';
import type { EstateReport } from '../core/estate/certificate.js';
import { DIGEST_METRICS } from '../core/metrics.js';
import type { RenderedMail } from '../core/routing/presentation.js';
import type { DigestRequest, ProbeAddressState, SecurityEvent } from '../core/state.js';
import type { AccountSource } from '../ports/accounts.js';
import type { CanaryStore } from '../ports/canary.js';
import type { CertificateStatusChecker, DigestStore } from '../ports/digest.js';
import type { EstateSource } from '../ports/estate.js';
import type { Mailer } from '../ports/mail.js';
import type { Log, Metrics } from '../ports/observability.js';

export interface DigestDeps {
  readonly configuration: Configuration;
  readonly store: DigestStore;
  /** Null for a preview: render, send nothing. */
  readonly mailer: Mailer | null;
  readonly logger: Log;
  readonly clock: () => Date;
  /** Asks ACM whether a request's certificate is issued; absent: every status is unknown. */
  readonly statusChecker?: CertificateStatusChecker;
  /** Names the accounts (the organisation's too, when the configuration reads them). @default the configuration's list */
  readonly accounts?: AccountSource;
  /** The mailbox canary's records; absent: the digests have no canary section. */
  readonly canary?: Pick<CanaryStore, 'addressStates'>;
  /** The certificate estate (ports/estate.ts); absent: the digests have no estate section. */
  readonly estate?: EstateSource;
  /** Where the run's `OpenRequests` goes (the dashboard's graph); absent: not measured. */
  readonly metrics?: Metrics;
}

export interface DigestMail extends RenderedMail {
  readonly to: readonly string[];
  readonly kind: 'owner' | 'security';
  readonly owner: string | null;
}

export interface DigestRun {
  readonly mails: readonly DigestMail[];
  readonly requests: readonly DigestRequest[];
  readonly securityEvents: readonly SecurityEvent[];
  /** The canary's last word on each watched address, as the digests show it (empty without one). */
  readonly canary: readonly ProbeAddressState[];
  /** The estate the digests show; null without one (or when it could not be listed). */
  readonly estate: EstateReport | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function makeDigest(deps: DigestDeps) {
  return async (): Promise<DigestRun> => {
    const { configuration } = deps;
    const now = deps.clock();
    const since = new Date(now.getTime() - configuration.digest.lookbackDays * DAY_MS).toISOString();
    const requests = (
      await Promise.all(configuration.owners.map((owner) => deps.store.requestsOf(owner.name, since)))
    ).flat();
    const securityEvents = await deps.store.securityEvents(since);
    const statuses = deps.statusChecker ? await checkStatuses(deps.statusChecker, requests) : new Map();
    // Account names are only labels here: when Organizations cannot be read the listed names stand.
    const accounts = await deps.accounts?.directory().catch((error: unknown) => {
      deps.logger.warn('account names from AWS Organizations unavailable; the digest names listed accounts only', {
        error: String(error),
      });
      return undefined;
    });
    const canary = await canaryStates(deps);
    const estate = await estateReport(deps);
    const { mails, openRequests } = digestRun(
      configuration,
      requests,
      securityEvents,
      now,
      statuses,
      canary,
      accounts,
      estate,
    );
    deps.metrics?.measure(DIGEST_METRICS.openRequests, openRequests, {});
    deps.metrics?.flush();
    for (const mail of mails) {
      if (deps.mailer) await deps.mailer.sendMail(mail);
      deps.logger.info('digest', {
        kind: mail.kind,
        owner: mail.owner,
        subject: mail.subject,
        sent: deps.mailer !== null,
      });
    }
    return { mails, requests, securityEvents, canary, estate };
  };
}

/** The estate for the digests; like the canary, a failure is logged and leaves the section out. */
async function estateReport(deps: DigestDeps): Promise<EstateReport | null> {
  if (deps.estate === undefined) return null;
  try {
    const report = await deps.estate.estate();
    for (const scope of report.unlisted) {
      deps.logger.warn('estate: not listed', {
        accountId: scope.accountId,
        region: scope.region,
        reason: scope.reason,
      });
    }
    return report;
  } catch (error) {
    deps.logger.warn('estate unlisted: the digests have no estate section', { error: String(error) });
    return null;
  }
}

/**
 * The canary's states for the digests. A failed read is logged and leaves the section out, like a failed ACM status:
 * the requests matter more than the canary's word, and a guess would be worse than nothing.
 */
async function canaryStates(deps: DigestDeps): Promise<ProbeAddressState[]> {
  if (deps.canary === undefined || !deps.configuration.canary.enabled) return [];
  try {
    return await deps.canary.addressStates(probeTargets(deps.configuration));
  } catch (error) {
    deps.logger.warn('canary states unread: the digests have no canary section', { error: String(error) });
    return [];
  }
}

/** The mails a digest run sends, from its data: what the preview renders from a saved state. */
export function digestMails(...data: Parameters<typeof digestRun>): DigestMail[] {
  return digestRun(...data).mails;
}

/** The mails, and how many requests wait for an approval in them all (the `OpenRequests` measure). */
function digestRun(
  configuration: Configuration,
  requests: readonly DigestRequest[],
  securityEvents: readonly SecurityEvent[],
  now: Date,
  statuses?: ReadonlyMap<string, CertificateStatus>,
  canary?: readonly ProbeAddressState[],
  accounts?: AccountDirectory,
  estate?: EstateReport | null,
): { mails: DigestMail[]; openRequests: number } {
  const digests = buildDigests({
    configuration,
    requests,
    securityEvents,
    now,
    statuses,
    canary,
    accounts,
    estate: estate ?? undefined,
  });
  const context = { timeZone: configuration.digest.timeZone, now };
  const mails: DigestMail[] = digests.owners.map((digest) => ({
    // Each owner reads times in their own zone and language; the schedule itself runs in digest.timeZone.
    ...renderOwnerDigest(digest, {
      ...context,
      timeZone: digest.owner.timeZone ?? context.timeZone,
      locale: digest.owner.locale,
    }),
    to: digest.owner.digestRecipients,
    kind: 'owner',
    owner: digest.owner.name,
  }));
  if (digests.security.events.length > 0 || configuration.digest.sendEmpty) {
    mails.push({
      ...renderSecurityDigest(digests.security, context),
      to: [configuration.securityContact],
      kind: 'security',
      owner: null,
    });
  }
  return { mails, openRequests: digests.owners.reduce((sum, digest) => sum + digest.counts.open, 0) };
}

/** A few questions to ACM at a time: a large organisation's digest must not hit ACM's request rate. */
async function checkStatuses(
  checker: CertificateStatusChecker,
  requests: readonly DigestRequest[],
): Promise<Map<string, CertificateStatus>> {
  const statuses = new Map<string, CertificateStatus>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 5 }, async () => {
      for (let index = next++; index < requests.length; index = next++) {
        const request = requests[index] as DigestRequest;
        statuses.set(request.key, await checker.statusOf(request));
      }
    }),
  );
  return statuses;
}
