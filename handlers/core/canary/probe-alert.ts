/**
 * The security alert for a mail that looks like a probe but is not one: a forged, replayed or misdirected probe is
 * alerted like any forgery (quarantined, the security contact and the alerts topic), with its own words. It names
 * the run and address the token claims, never the token itself (its MAC would let anyone who reads the alert send
 * the same probe again until it is stale).
 */
import { type AlertContext, arrivalRows } from '../routing/alerts.js';
import { presentMailText as fromMail, presentAddress } from '../routing/defang.js';
import { htmlDocument, htmlParagraphs, htmlRows, type RenderedMail, textRows } from '../routing/presentation.js';
import type { SecurityAlert } from '../routing/security-outcome.js';
import type { SecurityEventFacts } from '../state.js';
import { explainProbeReasons, type ProbeReason } from './probe-check.js';

export interface RejectedProbe {
  readonly reasons: readonly ProbeReason[];
  /** The run and address the token names (a claim unless the MAC verified). */
  readonly claimed: { readonly runId: string; readonly address: string } | null;
  /** The mail's own subject (the sender's text: shown defanged). */
  readonly subject: string;
}

export function suspiciousProbeAlert(rejected: RejectedProbe, context: AlertContext): SecurityAlert {
  const about = rejected.claimed ? presentAddress(rejected.claimed.address) : 'no readable address';
  const subject = `[ACM security] Suspicious mail posing as a canary probe (${about})`;
  const rows: [string, string][] = [
    ['Why', explainProbeReasons(rejected.reasons)],
    ['Subject', fromMail(rejected.subject)],
    ['Claimed run', rejected.claimed ? rejected.claimed.runId : '(none readable)'],
    ['Claimed address', rejected.claimed ? presentAddress(rejected.claimed.address) : '(none readable)'],
    ...arrivalRows(context),
  ];
  const intro = [
    "A mail to a watched address carried the canary's probe header but failed a probe check. It was not recorded as a probe arrival.",
  ];
  const advice = [
    'What to do:',
    '1. Review the quarantined copy: someone outside may be trying to make a dark mailbox look healthy, or testing what the pipeline accepts.',
    '2. If it is our own probe that failed a check (a relay that rewrote it, a changed sender domain or DKIM set-up), fix that, then check the canary with `acm-mail doctor --probe`.',
  ];
  const mail: RenderedMail = {
    subject,
    text: [...intro, '', textRows(rows), '', ...advice, ''].join('\n'),
    html: htmlDocument(subject, [htmlParagraphs(intro), htmlRows(rows), htmlParagraphs(advice)].join('\n')),
  };
  return {
    kind: 'suspicious',
    // Per message: each forged or replayed copy is its own event.
    identity: `message#${context.messageId}`,
    mail,
    details: {
      reasons: rejected.reasons,
      probe: rejected.claimed ? { runId: rejected.claimed.runId, address: rejected.claimed.address } : null,
    },
    // Anyone can write the probe field: a flood of forgeries must not spend the sending quota tickets need.
    budgeted: true,
  };
}

/** What the state table records of it for the digest's security summary. */
export function suspiciousProbeRecord(rejected: RejectedProbe): SecurityEventFacts {
  return {
    // As the alert shows it (`nonce=` and `mac=` redacted): no table item holds a whole token (red team L01).
    subject: fromMail(rejected.subject),
    domain: null,
    accountId: null,
    region: null,
    certificateArn: null,
    authenticated: false,
  };
}
