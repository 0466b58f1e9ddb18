/**
 * Digests made to be looked at and measured: requests in every state a digest shows (open and clickable, open with
 * the link withheld, due today, expired, foreign-account, done, a renewal due soon), with the longest values mail can
 * bring (a 63-character DNS label, ARNs, defanged links), for the browser width checks and the README's screenshots.
 */

import { probeTargets } from '../../handlers/core/canary/targets.js';
import type { Configuration } from '../../handlers/core/configuration/index.js';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import type { CertificateStatus } from '../../handlers/core/digest/certificate-status.js';
import type { Locale } from '../../handlers/core/i18n/time.js';
import type { DigestRequest, ProbeAddressState, SecurityEvent } from '../../handlers/core/state.js';
import { type DigestMail, digestMails } from '../../handlers/digest/digest.js';
import { exampleWith } from './configuration.js';

/** 09:00 in Berlin, 17:00 in Tokyo. */
export const SAMPLE_NOW = new Date('2026-11-23T08:00:00.000Z');
/** The longest label DNS allows (RFC 1035: 63 octets). */
export const LABEL_63 = `a${'0123456789'.repeat(6)}yz`;
const HOUR_MS = 3_600_000;

/** The example configuration with every owner reading `locale` (a `ja` reader in Tokyo, as the example's is). */
export function sampleConfiguration(locale: Locale): Configuration {
  return parseConfiguration(
    exampleWith((c) => {
      for (const owner of c.owners) {
        owner.locale = locale;
        if (locale === 'ja') owner.timeZone = 'Asia/Tokyo';
      }
    }),
    'sample',
  );
}

interface Sample {
  readonly requests: DigestRequest[];
  readonly securityEvents: SecurityEvent[];
  readonly statuses: Map<string, CertificateStatus>;
}

/**
 * `perKind` requests of each kind for the `platform` owner; with `longLabel`, every domain starts with a 63-character
 * label. 20 owners' worth: `perKind` 3 makes 7 kinds x 3 = 21 entries, 15 makes 105 (the one-line form).
 */
export function sampleRequests(perKind: number, longLabel: boolean): Sample {
  const requests: DigestRequest[] = [];
  const securityEvents: SecurityEvent[] = [];
  const statuses = new Map<string, CertificateStatus>();
  const account = { id: '147588208287', name: 'api-prod' };
  for (let index = 0; index < perKind; index += 1) {
    const domainOf = (kind: string) => `${longLabel ? `${LABEL_63}.` : ''}${kind}${index}.example.com`;
    const request = (kind: string, deadlineHours: number, over: Partial<DigestRequest> = {}): DigestRequest => {
      const domain = domainOf(kind);
      const arn = `arn:aws:acm:eu-west-1:${account.id}:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f${index % 10}`;
      const deadline = new Date(SAMPLE_NOW.getTime() + deadlineHours * HOUR_MS);
      const first = new Date(deadline.getTime() - 72 * HOUR_MS).toISOString();
      const url = `https://eu-west-1.acm-certificates.amazon.com/approvals?code=${kind}-${index}-c0de&context=${kind}-${index}-c0n7e8t9`;
      return {
        key: `${arn}|${domain}`,
        domain,
        accountId: account.id,
        region: 'eu-west-1',
        certificateArn: arn,
        owner: 'platform',
        renewal: false,
        trust: 'trusted',
        firstReceivedAt: first,
        approvalDeadline: deadline.toISOString(),
        addresses: [`admin@${domain}`, `hostmaster@${domain}`],
        certificateExpiresAt: null,
        ticketSubject: `[ACM approval] ${domain} (${account.name}, eu-west-1)`,
        ticketMessageId: `0100-${kind}-${index}@email.amazonses.com`,
        links: [{ url, trust: over.trust ?? 'trusted', receivedAt: first }],
        ...over,
      };
    };
    requests.push(
      request('today', 6 + index / 10),
      request('open', 50 + index),
      request('forwarded', 60 + index, { trust: 'unverified' }),
      request('renewal', 30 + index, {
        renewal: true,
        certificateExpiresAt: new Date(SAMPLE_NOW.getTime() + (12 + index) * 24 * HOUR_MS).toISOString(),
      }),
      request('expired', -(30 + index)),
    );
    const done = request('issued', 40 + index);
    requests.push(done);
    statuses.set(done.key, 'issued');
    securityEvents.push({
      messageId: `m-foreign-${index}`,
      outcome: 'foreign-account',
      recordedAt: new Date(SAMPLE_NOW.getTime() - (2 + index) * HOUR_MS).toISOString(),
      requestKey: `arn:aws:acm:us-east-1:999999999999:certificate/f${index}|${domainOf('foreign')}`,
      subject: `Certificate request for ${domainOf('foreign')}`,
      domain: domainOf('foreign'),
      accountId: '999999999999',
      region: 'us-east-1',
      certificateArn: `arn:aws:acm:us-east-1:999999999999:certificate/f${index}`,
      authenticated: true,
      reasons: ['account-not-ours'],
    });
  }
  return { requests, securityEvents, statuses };
}

/**
 * The canary's word on every watched address of the example: all arrived an hour before SAMPLE_NOW except
 * admin@acm-mail.example.com, found missing (its last success a day before), and hostmaster@acm-mail.example.com,
 * never tested: each kind of row the digest's canary section writes.
 */
export function sampleCanary(configuration: Configuration): ProbeAddressState[] {
  const at = (hours: number) => new Date(SAMPLE_NOW.getTime() - hours * HOUR_MS).toISOString();
  return probeTargets(configuration).map((target) => {
    const base = { ...target, lastRunId: 'run-2', lastSentAt: at(2), lastMissingAt: null };
    if (target.address === 'admin@acm-mail.example.com') {
      return { ...base, lastArrivedAt: at(26), lastArrivedSentAt: at(26), lastMissingAt: at(1.5) };
    }
    if (target.address === 'hostmaster@acm-mail.example.com') {
      return { ...base, lastRunId: null, lastSentAt: null, lastArrivedAt: null, lastArrivedSentAt: null };
    }
    return { ...base, lastArrivedAt: at(1), lastArrivedSentAt: at(2) };
  });
}

/** The platform owner's digest and the security summary of a sample, in `locale`, with the canary's section. */
export function sampleMails(locale: Locale, perKind: number, longLabel: boolean): DigestMail[] {
  const { requests, securityEvents, statuses } = sampleRequests(perKind, longLabel);
  const configuration = sampleConfiguration(locale);
  return digestMails(configuration, requests, securityEvents, SAMPLE_NOW, statuses, sampleCanary(configuration)).filter(
    // The missing mailbox would also bring digests for the owners who see every address (an account rule): the
    // samples are the platform owner's.
    (mail) => mail.kind === 'security' || mail.owner === 'platform',
  );
}
