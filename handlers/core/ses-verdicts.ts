/**
 * SES's authentication, spam and virus verdicts for one mail: from the receipt event when the caller has it, and
 * from the header block SES stamped on top of the stored mail. A sender can write its own `Authentication-Results`
 * or `X-SES-*` fields lower down; those are never read (RFC 8601 section 7.1).
 */

import type { HeaderField } from './header-block.js';
import { ACM_DKIM_DOMAIN } from './template.js';
import type { SesReceipt, SesStatus } from './types.js';

export interface SesAuthentication {
  readonly source: 'event' | 'headers' | 'event+headers';
  readonly spf: SesStatus | null;
  readonly dkim: SesStatus | null;
  readonly dmarc: SesStatus | null;
  readonly spam: SesStatus | null;
  readonly virus: SesStatus | null;
  /** Signing domains (`header.d`, or the domain of `header.i`) whose DKIM signature passed / failed. */
  readonly dkimPassDomains: readonly string[];
  readonly dkimFailDomains: readonly string[];
}

/** The fields SES puts above the sender's own header block (see acm-mail-facts.md, "What SES inbound gives us"). */
const SES_STAMPED_FIELDS = new Set([
  'return-path',
  'received',
  'x-ses-spam-verdict',
  'x-ses-virus-verdict',
  'received-spf',
  'authentication-results',
  'x-ses-receipt',
  'x-ses-dkim-signature',
]);
const SES_RECEIVED = /\bby inbound-smtp\.[a-z0-9-]+\.amazonaws\.com\b/i;
const SES_AUTHSERV_ID = /^amazonses\.com\s*;/i;

/**
 * The fields SES stamped: the run at the very top made only of the names SES writes, each at most once, and holding
 * SES's own `Received ... by inbound-smtp.<region>.amazonaws.com`. A repeated name ends the run, so a sender's
 * `Authentication-Results` placed right under SES's block is not taken for SES's.
 */
export function sesStampedFields(fields: readonly HeaderField[]): Map<string, string> | null {
  const stamped = new Map<string, string>();
  for (const field of fields) {
    if (!SES_STAMPED_FIELDS.has(field.name) || stamped.has(field.name)) break;
    stamped.set(field.name, field.value);
  }
  const received = stamped.get('received');
  return received !== undefined && SES_RECEIVED.test(received) ? stamped : null;
}

function statusOf(value: string | undefined): SesStatus | null {
  const normalised = value?.trim().toUpperCase();
  if (normalised === 'PASS' || normalised === 'FAIL' || normalised === 'GRAY' || normalised === 'PROCESSING_FAILED') {
    return normalised;
  }
  return null;
}

/** RFC 8601 result words to SES's statuses. */
function statusOfResult(result: string): SesStatus {
  switch (result.toLowerCase()) {
    case 'pass':
      return 'PASS';
    case 'fail':
    case 'permerror':
      return 'FAIL';
    case 'temperror':
      return 'PROCESSING_FAILED';
    default: // softfail, neutral, none, policy
      return 'GRAY';
  }
}

function dkimDomain(properties: string): string | null {
  const d = /\bheader\.d=([^\s;]+)/i.exec(properties)?.[1];
  if (d) return d.toLowerCase();
  const i = /\bheader\.i=[^\s;@]*@([^\s;]+)/i.exec(properties)?.[1];
  return i ? i.toLowerCase() : null;
}

interface AuthenticationResults {
  spf: SesStatus | null;
  dkim: SesStatus | null;
  dmarc: SesStatus | null;
  dkimPassDomains: string[];
  dkimFailDomains: string[];
}

function parseAuthenticationResults(value: string): AuthenticationResults {
  const results: AuthenticationResults = {
    spf: null,
    dkim: null,
    dmarc: null,
    dkimPassDomains: [],
    dkimFailDomains: [],
  };
  for (const statement of value.split(';').slice(1)) {
    const match = /^\s*(spf|dkim|dmarc)\s*=\s*([a-z]+)(.*)$/is.exec(statement);
    if (!match) continue;
    const [, method = '', result = '', properties = ''] = match;
    const status = statusOfResult(result);
    const name = method.toLowerCase() as 'spf' | 'dkim' | 'dmarc';
    if (name !== 'dkim') {
      results[name] ??= status;
      continue;
    }
    const domain = dkimDomain(properties);
    if (domain && status === 'PASS') results.dkimPassDomains.push(domain);
    if (domain && status === 'FAIL') results.dkimFailDomains.push(domain);
    // Overall DKIM: any passing signature passes, as SES's own dkimVerdict does.
    if (results.dkim !== 'PASS') results.dkim = status === 'PASS' || results.dkim === null ? status : results.dkim;
  }
  return results;
}

/**
 * Null when neither an event nor SES's stamped headers say anything: a plain `.eml` that never went through SES.
 * Statuses come from the event when given; the per-domain DKIM results exist only in the stamped header.
 */
export function readSesAuthentication(fields: readonly HeaderField[], receipt?: SesReceipt): SesAuthentication | null {
  const stamped = sesStampedFields(fields);
  const authValue = stamped?.get('authentication-results');
  const auth = authValue && SES_AUTHSERV_ID.test(authValue) ? parseAuthenticationResults(authValue) : null;
  const fromHeaders = stamped
    ? {
        spf: auth?.spf ?? statusOfResult(stamped.get('received-spf')?.split(/\s/)[0] ?? 'none'),
        dkim: auth?.dkim ?? null,
        dmarc: auth?.dmarc ?? null,
        spam: statusOf(stamped.get('x-ses-spam-verdict')),
        virus: statusOf(stamped.get('x-ses-virus-verdict')),
      }
    : null;
  const domains = { dkimPassDomains: auth?.dkimPassDomains ?? [], dkimFailDomains: auth?.dkimFailDomains ?? [] };
  if (receipt) {
    return {
      source: fromHeaders ? 'event+headers' : 'event',
      spf: statusOf(receipt.spfVerdict?.status),
      dkim: statusOf(receipt.dkimVerdict?.status),
      dmarc: statusOf(receipt.dmarcVerdict?.status),
      spam: statusOf(receipt.spamVerdict?.status),
      virus: statusOf(receipt.virusVerdict?.status),
      ...domains,
    };
  }
  return fromHeaders ? { source: 'headers', ...fromHeaders, ...domains } : null;
}

/** Whether SES's results prove the mail was signed by ACM's domain (DKIM, or DMARC aligned with an ACM From). */
export function isAcmAuthenticated(ses: SesAuthentication, fromDomain: string | null): boolean {
  const dkimForAcm = ses.dkimPassDomains.includes(ACM_DKIM_DOMAIN) && !ses.dkimFailDomains.includes(ACM_DKIM_DOMAIN);
  const dmarcForAcm = ses.dmarc === 'PASS' && fromDomain === ACM_DKIM_DOMAIN;
  return dkimForAcm || dmarcForAcm;
}
