/**
 * SES's authentication, spam and virus verdicts for one mail. Two sources, neither of them the sender's:
 *
 * - the receipt event of the Lambda action (`receipt.*Verdict`), which no sender can write: the authority on
 *   statuses whenever the caller has it;
 * - the fields SES stamped on top of the stored mail, in the order SES writes them (sample 01): `Return-Path`,
 *   `Received ... by inbound-smtp.<region>.amazonaws.com`, `X-SES-Spam-Verdict`, `X-SES-Virus-Verdict`,
 *   `Received-SPF`, `Authentication-Results: amazonses.com; ...`, `X-SES-RECEIPT`, `X-SES-DKIM-SIGNATURE`. Only they
 *   say which domain a passing DKIM signature belongs to.
 *
 * A field out of that order, or repeated, is the sender's (RFC 8601 section 7.1: verdicts written by others are
 * forgeries), and so is everything below it. When the stamp carries no `Authentication-Results`, nothing below it is
 * read. Anything that contradicts itself or the event is a finding, never a reason to trust.
 */

import { domainOf } from './addresses.js';
import { readSesAuthenticationResults } from './authentication-results.js';
import type { HeaderField } from './header-block.js';
import type { SesReceipt, SesStatus } from './types.js';

export type VerdictFinding = 'malformed-ses-verdicts' | 'conflicting-verdicts' | 'event-verdicts-disagree';

export interface DkimResult {
  /** `header.d`, or the domain of `header.i`, lower-cased; null when SES named neither. */
  readonly domain: string | null;
  readonly status: SesStatus;
}

export interface SesVerdicts {
  readonly source: 'event' | 'headers' | 'event+headers';
  readonly spf: SesStatus | null;
  readonly dkim: SesStatus | null;
  readonly dmarc: SesStatus | null;
  readonly spam: SesStatus | null;
  readonly virus: SesStatus | null;
  /**
   * What SES's stamp alone says (the statuses above are the event's whenever there is one): `X-SES-Spam-Verdict`,
   * `X-SES-Virus-Verdict`, `Received-SPF`, and the `Authentication-Results` statuses when it was read cleanly.
   */
  readonly stamped: {
    readonly spf: SesStatus | null;
    readonly dkim: SesStatus | null;
    readonly dmarc: SesStatus | null;
    readonly spam: SesStatus | null;
    readonly virus: SesStatus | null;
  };
  /** SES's stamp holds its `Authentication-Results`, read without a fault: the only place domains are named. */
  readonly hasAuthenticationResults: boolean;
  /** One per DKIM statement of SES's stamp. */
  readonly dkimResults: readonly DkimResult[];
  /** The From domain SES evaluated DMARC for (`header.from`), lower-cased. */
  readonly dmarcHeaderFrom: string | null;
  readonly findings: readonly VerdictFinding[];
}

/** SES's fields, in the order it writes them above the sender's own. */
const SES_STAMP_ORDER = [
  'return-path',
  'received',
  'x-ses-spam-verdict',
  'x-ses-virus-verdict',
  'received-spf',
  'authentication-results',
  'x-ses-receipt',
  'x-ses-dkim-signature',
] as const;
const SES_RECEIVED = /\bby inbound-smtp\.[a-z0-9-]+\.amazonaws\.com\b/i;

/**
 * The fields SES stamped: the run at the very top that follows SES's order, each name at most once, and holds SES's
 * own `Received ... by inbound-smtp.<region>.amazonaws.com`. The first field out of that order ends the run, so a
 * sender's `Authentication-Results` or `X-SES-*` field anywhere below is never taken for SES's.
 */
export function sesStamp(fields: readonly HeaderField[]): ReadonlyMap<string, HeaderField> | null {
  const stamp = new Map<string, HeaderField>();
  let position = -1;
  for (const field of fields) {
    const at = SES_STAMP_ORDER.indexOf(field.name as (typeof SES_STAMP_ORDER)[number]);
    if (at <= position) break;
    stamp.set(field.name, field);
    position = at;
  }
  const received = stamp.get('received');
  return received !== undefined && SES_RECEIVED.test(received.value) ? stamp : null;
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

/** `header.i` is `[local]@domain`: its domain, or null when it names none. */
function domainOfIdentity(value: string | undefined): string | null {
  return value?.includes('@') ? domainOf(value) || null : null;
}

interface StampedResults {
  spf: SesStatus | null;
  dkim: SesStatus | null;
  dmarc: SesStatus | null;
  dkimResults: DkimResult[];
  dmarcHeaderFrom: string | null;
  findings: VerdictFinding[];
}

/** What SES's `Authentication-Results` says, with its own contradictions named. */
function stampedResults(field: HeaderField, receivedSpf: string | undefined): StampedResults {
  const read = readSesAuthenticationResults(field.lines);
  const results: StampedResults = {
    spf: null,
    dkim: null,
    dmarc: null,
    dkimResults: [],
    dmarcHeaderFrom: null,
    findings: read.ok ? [] : ['malformed-ses-verdicts'],
  };
  if (!read.ok) return results;
  const of = (method: string) => read.statements.filter((statement) => statement.method === method);
  const [spf, ...moreSpf] = of('spf');
  const [dmarc, ...moreDmarc] = of('dmarc');
  // SES evaluates SPF and DMARC once per mail: a second result is somebody else's.
  if (moreSpf.length > 0 || moreDmarc.length > 0) results.findings.push('conflicting-verdicts');
  results.spf = spf ? statusOfResult(spf.result) : null;
  // Received-SPF is SES's too: its first word must say what the SPF statement says.
  const spfField = receivedSpf?.split(/[\s(]/, 1)[0];
  if (spf && spfField && statusOfResult(spfField) !== results.spf) results.findings.push('conflicting-verdicts');
  results.dmarc = dmarc ? statusOfResult(dmarc.result) : null;
  results.dmarcHeaderFrom = dmarc?.properties.get('header.from')?.toLowerCase() ?? null;
  results.dkimResults = of('dkim').map((statement) => ({
    domain:
      statement.properties.get('header.d')?.toLowerCase() ?? domainOfIdentity(statement.properties.get('header.i')),
    status: statusOfResult(statement.result),
  }));
  const statuses = results.dkimResults.map((result) => result.status);
  // Overall DKIM as SES's own dkimVerdict has it: any passing signature passes.
  results.dkim = statuses.includes('PASS')
    ? 'PASS'
    : (statuses.find((status) => status === 'FAIL') ?? statuses[0] ?? null);
  const passed = new Set(results.dkimResults.filter((r) => r.status === 'PASS').map((r) => r.domain));
  if (results.dkimResults.some((r) => r.status === 'FAIL' && passed.has(r.domain))) {
    results.findings.push('conflicting-verdicts');
  }
  return results;
}

/** The event and the stamp must tell the same story; only pass-ness is compared where SES's words differ. */
function disagrees(event: SesStatus | null, stamped: SesStatus | null, exact: boolean): boolean {
  if (event === null) return false;
  return exact ? stamped !== null && stamped !== event : (event === 'PASS') !== (stamped === 'PASS');
}

/**
 * Null when neither an event nor SES's stamp exists: a plain `.eml` that never went through SES. Statuses come from
 * the event when given, from the stamp otherwise; per-domain DKIM results and DMARC's From only from the stamp.
 */
export function readSesVerdicts(fields: readonly HeaderField[], receipt?: SesReceipt): SesVerdicts | null {
  const stamp = sesStamp(fields);
  if (stamp === null && receipt === undefined) return null;
  const authentication = stamp?.get('authentication-results');
  let stamped: StampedResults | null = null;
  const findings: VerdictFinding[] = [];
  if (authentication !== undefined) {
    // SES seals its stamp with X-SES-RECEIPT after its verdicts; verdicts with nothing of SES's after them may be
    // the sender's first fields under a stamp that had none.
    if (stamp?.has('x-ses-receipt')) stamped = stampedResults(authentication, stamp.get('received-spf')?.value);
    else findings.push('malformed-ses-verdicts');
  }
  if (stamped) findings.push(...stamped.findings);
  const usable = stamped !== null && stamped.findings.length === 0 ? stamped : null;
  const headers = {
    spf:
      usable?.spf ?? (stamp ? statusOfResult(stamp.get('received-spf')?.value.split(/[\s(]/, 1)[0] ?? 'none') : null),
    dkim: usable?.dkim ?? null,
    dmarc: usable?.dmarc ?? null,
    spam: statusOf(stamp?.get('x-ses-spam-verdict')?.value),
    virus: statusOf(stamp?.get('x-ses-virus-verdict')?.value),
  };
  let statuses = headers;
  if (receipt !== undefined) {
    statuses = {
      spf: statusOf(receipt.spfVerdict?.status),
      dkim: statusOf(receipt.dkimVerdict?.status),
      dmarc: statusOf(receipt.dmarcVerdict?.status),
      spam: statusOf(receipt.spamVerdict?.status),
      virus: statusOf(receipt.virusVerdict?.status),
    };
    const disagreement =
      disagrees(statuses.spam, headers.spam, true) ||
      disagrees(statuses.virus, headers.virus, true) ||
      (usable !== null &&
        (disagrees(statuses.spf, usable.spf, false) ||
          disagrees(statuses.dkim, usable.dkim, false) ||
          disagrees(statuses.dmarc, usable.dmarc, false)));
    if (disagreement) findings.push('event-verdicts-disagree');
  }
  return {
    source: receipt === undefined ? 'headers' : stamp === null ? 'event' : 'event+headers',
    ...statuses,
    stamped: headers,
    hasAuthenticationResults: usable !== null,
    dkimResults: usable?.dkimResults ?? [],
    dmarcHeaderFrom: usable?.dmarcHeaderFrom ?? null,
    findings: [...new Set(findings)],
  };
}
