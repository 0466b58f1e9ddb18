/**
 * Is a mail that looks like a probe (it carries an `X-ACM-Mail-Probe` field) one of our canary's probes? Pure: the
 * router reads the key and asks the store; this decides from the header facts, SES's verdicts, the receipt's
 * recipients, the configuration and the token's check.
 *
 * A mail that looks like a probe is a probe or `suspicious`, never anything else: the field is anyone's to write, so
 * it must never quiet a mail (the loop guard) or get it a ticket. It is a probe only when every rule holds:
 * - one `X-ACM-Mail-Probe` field, on one line, whose token verifies under our key and is fresh (token.ts), in a
 *   header block read whole (not cut at `limits.maxHeaderBytes`);
 * - the token names a watched address (targets.ts);
 * - one From field with one mailbox, exactly our sender;
 * - the receipt event carries all five verdicts (SPF, DKIM, DMARC, spam, virus) in statuses SES writes;
 * - SES's own stamp says a DKIM signature of our sender's domain passed (rule below), its verdicts read cleanly and
 *   agree with the receipt event, the event's DKIM verdict is PASS, DMARC (when evaluated) is not FAIL and was
 *   evaluated for our sender's domain, spam and virus are not FAIL, in the event nor in the stamp;
 * - SES received it for the token's address (`ses`, `extra`), or, for a `forwarded` address, for one of the extra
 *   inbound addresses, where the corporate forward delivers.
 * The store then decides first arrival, retry or replay (`arrivalVerdict`).
 */
import { getDomain } from 'tldts';
import { domainOf } from '../addresses.js';
import type { Configuration } from '../configuration/index.js';
import type { ProbeField } from '../header-facts.js';
import type { SesVerdicts } from '../ses-verdicts.js';
import type { ProbeRecord } from '../state.js';
import { type ProbeTarget, probeTargets } from './targets.js';
import type { ProbeToken, ProbeTokenCheck, ProbeTokenFailure } from './token.js';

/** Why a mail that looks like a probe is not one. Every one makes it `suspicious`. */
export const PROBE_REASONS = [
  'probe-canary-disabled',
  'probe-header-repeated',
  'probe-header-cut',
  'probe-token-malformed',
  'probe-token-forged',
  'probe-token-stale',
  'probe-token-from-future',
  'probe-not-a-target',
  'probe-not-from-our-sender',
  'probe-without-our-dkim',
  'probe-ses-verdicts-unreliable',
  'probe-ses-event-incomplete',
  'probe-spam-or-virus',
  'probe-wrong-recipient',
  'probe-token-replayed',
  'probe-unknown-run',
] as const satisfies readonly string[];
export type ProbeReason = (typeof PROBE_REASONS)[number];

/** Each reason in plain words, for the alert (as core/reason-text.ts does for the trust gate's reasons). */
export const PROBE_REASON_TEXT: Readonly<Record<ProbeReason, string>> = {
  'probe-canary-disabled': 'the canary is disabled in the configuration, so no probe of ours can be on its way',
  'probe-header-repeated': 'it carries the probe header more than once',
  'probe-header-cut':
    'its header block is larger than we read (256 KiB; a probe has a few KB), so a probe field or a second From may be unseen',
  'probe-token-malformed': 'its probe token is not written the way our canary writes one (folded, reordered, altered)',
  'probe-token-forged': 'its probe token was not signed with our probe key',
  'probe-token-stale': 'its probe token is older than a day: an old probe sent again',
  'probe-token-from-future': 'its probe token is dated in the future',
  'probe-not-a-target': 'its token names an address the canary does not probe',
  'probe-not-from-our-sender': 'it is not from our sender alone (one From field, one mailbox, our sender address)',
  'probe-without-our-dkim':
    "SES found no passing DKIM signature of our sender's domain, its receipt event does not say DKIM PASS, or a DKIM or DMARC failure",
  'probe-ses-verdicts-unreliable': "SES's verdicts are missing, not in SES's layout, or contradict each other",
  'probe-ses-event-incomplete':
    "SES's receipt event lacks one of its five verdicts (SPF, DKIM, DMARC, spam, virus), or holds one SES does not write",
  'probe-spam-or-virus': 'SES judged it spam or found a virus (in its receipt event or in its stamp)',
  'probe-wrong-recipient': 'SES did not receive it for the address its token names',
  'probe-token-replayed': 'the same probe already arrived in another message: a copy sent again',
  'probe-unknown-run': 'no probe of that run to that address was sent (or its record has expired)',
};

/** `reason (what it means)`, for the alert's rows. */
export function explainProbeReasons(reasons: readonly ProbeReason[]): string {
  return reasons.map((reason) => `${reason} (${PROBE_REASON_TEXT[reason]})`).join('; ');
}

/** The header facts, verdicts and receipt a probe's check reads. */
export interface ProbeEvidence {
  readonly probeFields: readonly ProbeField[];
  /** The header block was longer than we read (header-facts.ts): what lies past the cut is unseen. */
  readonly headerCut: boolean;
  /** The single mailbox of the single From field (header-facts.ts), or null. */
  readonly from: string | null;
  readonly ses: SesVerdicts | null;
  /** The SES receipt's recipients (the event's, which no sender writes). */
  readonly recipients: readonly string[];
  /** The token's check under our key; null when it was not checked (canary disabled, field repeated or folded). */
  readonly token: ProbeTokenCheck | null;
}

export type ProbeCheck =
  | { readonly ok: true; readonly token: ProbeToken; readonly target: ProbeTarget }
  | {
      readonly ok: false;
      /** Sorted, at least one. */
      readonly reasons: readonly ProbeReason[];
      /** Run and address as a grammatical token names them (not proven unless the MAC verified), for logs. */
      readonly claimed: { readonly runId: string; readonly address: string } | null;
    };

type ProbeConfig = Pick<Configuration, 'sender' | 'canary' | 'validationDomains' | 'extraInboundAddresses'>;

/**
 * Whether a mail looks like a probe: any `X-ACM-Mail-Probe` field at the top, in any case, however many, including
 * one that starts past the cut of a header block longer than we read.
 */
export function looksLikeProbe(facts: {
  readonly probeFields: readonly ProbeField[];
  readonly probeFieldPastCut: boolean;
}): boolean {
  return facts.probeFields.length > 0 || facts.probeFieldPastCut;
}

/**
 * The value to verify: the one field's, when it is alone and on one line in a header block read whole; null
 * otherwise (nothing to verify, and no reason to read the key).
 */
export function probeTokenValue(fields: readonly ProbeField[], headerCut = false): string | null {
  const [only, ...more] = fields;
  return only !== undefined && more.length === 0 && !only.folded && !headerCut ? only.value : null;
}

/**
 * The DKIM signing domains that speak for our sender: the sender's own domain, or a parent of it up to (and
 * including) its organisational domain (the registrable domain by the Public Suffix List), because SES's Easy DKIM
 * signs with the verified domain identity, which may be a parent of the sender's domain. Never a public suffix,
 * never a sibling or a look-alike (`notify-example.org`, `example.org.evil.example`), never `amazonses.com` (SES
 * signs every mail it sends with it, anyone's).
 */
export function speaksForSender(signingDomain: string | null, senderDomain: string): boolean {
  if (signingDomain === null) return false;
  const signer = signingDomain.toLowerCase();
  const sender = senderDomain.toLowerCase();
  if (signer === sender) return true;
  const organisational = getDomain(sender, { allowPrivateDomains: true });
  if (organisational === null || !sender.endsWith(`.${signer}`)) return false;
  return signer === organisational || signer.endsWith(`.${organisational}`);
}

function verdictReasons(ses: SesVerdicts | null, senderDomain: string): ProbeReason[] {
  if (ses === null || !ses.hasAuthenticationResults || ses.findings.length > 0) {
    // Without SES's own stamp read cleanly nothing names the signing domain.
    return ['probe-ses-verdicts-unreliable', 'probe-without-our-dkim'];
  }
  const reasons: ProbeReason[] = [];
  // The receipt event is the witness no sender writes: a probe needs all five of its verdicts, each a status SES
  // writes (the statuses are the event's whenever there is one; `headers` means there was none).
  const event = [ses.spf, ses.dkim, ses.dmarc, ses.spam, ses.virus];
  if (ses.source === 'headers' || event.some((status) => status === null)) reasons.push('probe-ses-event-incomplete');
  const ours = ses.dkimResults.filter((result) => speaksForSender(result.domain, senderDomain));
  const dmarcElsewhere = ses.dmarcHeaderFrom !== null && ses.dmarcHeaderFrom !== senderDomain;
  if (
    !ours.some((result) => result.status === 'PASS') ||
    ours.some((result) => result.status === 'FAIL') ||
    ses.dkim !== 'PASS' ||
    ses.stamped.dkim === 'FAIL' ||
    ses.dmarc === 'FAIL' ||
    ses.stamped.dmarc === 'FAIL' ||
    dmarcElsewhere
  ) {
    reasons.push('probe-without-our-dkim');
  }
  // The event and SES's stamp each get a say: a FAIL in either is a FAIL, whatever the other left out.
  if ([ses.spam, ses.virus, ses.stamped.spam, ses.stamped.virus].includes('FAIL')) reasons.push('probe-spam-or-virus');
  return reasons;
}

/** SES received the mail where the probe was sent, or, for a forwarded domain's mailbox, where the forward delivers. */
function reachedTarget(target: ProbeTarget, recipients: readonly string[], config: ProbeConfig): boolean {
  const reached = new Set(recipients.map((recipient) => recipient.toLowerCase()));
  if (target.path !== 'forwarded') return reached.has(target.address);
  return config.extraInboundAddresses.some((extra) => reached.has(extra.toLowerCase()));
}

export function checkProbe(evidence: ProbeEvidence, config: ProbeConfig): ProbeCheck {
  const senderDomain = domainOf(config.sender);
  const reasons = new Set<ProbeReason>();
  if (!config.canary.enabled) reasons.add('probe-canary-disabled');
  if (evidence.headerCut) reasons.add('probe-header-cut');
  if (evidence.probeFields.length > 1) reasons.add('probe-header-repeated');
  else if (evidence.probeFields.some((field) => field.folded)) reasons.add('probe-token-malformed');
  if (evidence.from === null || evidence.from.toLowerCase() !== config.sender.toLowerCase()) {
    reasons.add('probe-not-from-our-sender');
  }
  for (const reason of verdictReasons(evidence.ses, senderDomain)) reasons.add(reason);

  let token: ProbeToken | null = null;
  let target: ProbeTarget | undefined;
  const check = evidence.token;
  if (check !== null && !check.ok) reasons.add(check.reason satisfies ProbeTokenFailure);
  if (check?.ok) {
    token = check.token;
    target = probeTargets(config).find((candidate) => candidate.address === check.token.address);
    if (target === undefined) reasons.add('probe-not-a-target');
    else if (!reachedTarget(target, evidence.recipients, config)) reasons.add('probe-wrong-recipient');
  } else if (check === null && reasons.size === 0) {
    // Nothing was verified and nothing else failed: never a probe by default.
    reasons.add('probe-token-malformed');
  }

  if (reasons.size === 0 && token !== null && target !== undefined) return { ok: true, token, target };
  // Run and address only: nothing downstream ever holds the token's nonce or MAC.
  const claimed = token === null ? claimedToken(evidence) : { runId: token.runId, address: token.address };
  return { ok: false, reasons: [...reasons].sort(), claimed };
}

const CLAIMED = /^v1; run=(\d{8}T\d{6}Z-[0-9a-f]{8}); to=([a-z0-9!#$%&'*+/?^_`{|}~.-]{1,64}@[a-z0-9.-]{1,253});/;

/** Run and address of a field that starts like a token, for the log and the alert; nothing else of it. */
function claimedToken(evidence: ProbeEvidence): { runId: string; address: string } | null {
  const [first] = evidence.probeFields;
  const match = first === undefined ? null : CLAIMED.exec(first.value.slice(0, 512));
  return match ? { runId: match[1] as string, address: match[2] as string } : null;
}

/** What the store's answer makes of a probe that passed every check. */
export type ArrivalVerdict =
  | { readonly ok: true; readonly probe: ProbeRecord; readonly retry: boolean }
  | { readonly ok: false; readonly reason: Extract<ProbeReason, 'probe-token-replayed' | 'probe-unknown-run'> };

export function arrivalVerdict(
  arrival:
    | { readonly kind: 'first' | 'retry' | 'replayed'; readonly probe: ProbeRecord }
    | { readonly kind: 'unknown' },
): ArrivalVerdict {
  switch (arrival.kind) {
    case 'first':
      return { ok: true, probe: arrival.probe, retry: false };
    case 'retry':
      return { ok: true, probe: arrival.probe, retry: true };
    case 'replayed':
      return { ok: false, reason: 'probe-token-replayed' };
    case 'unknown':
      return { ok: false, reason: 'probe-unknown-run' };
  }
}
