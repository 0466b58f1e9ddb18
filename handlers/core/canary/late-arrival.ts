/**
 * The follow-up a late probe sends: its address was reported dark (the canary's missing-probe alert), and now its
 * probe has arrived, so mail to it works again. Pure, English (it goes to the security contact and the owners'
 * digest recipients, like the missing alert it answers), plain text and simple HTML as core/routing/alerts.ts writes
 * them. Built from our own records only (the probe record and the configuration): nothing from the received mail.
 */
import type { Configuration } from '../configuration/index.js';
import {
  formatUtc,
  htmlDocument,
  htmlParagraphs,
  htmlRows,
  type RenderedMail,
  textRows,
} from '../routing/presentation.js';
import type { ProbeRecord } from '../state.js';
// The missing alert's subject and thread anchor, written by the canary's side: the follow-up threads on exactly them.
import { missingProbeRecipients } from './alert-recipients.js';
import { missingProbeAnchor, missingProbeSubject } from './missing-alert.js';

export interface LateArrivalFacts {
  /** The probe as the store recorded its arrival. */
  readonly probe: ProbeRecord;
  /** When SES received it (the receipt's timestamp). */
  readonly arrivedAt: string;
  readonly senderDomain: string;
}

export interface LateArrivalNotice {
  readonly mail: RenderedMail;
  /** `In-Reply-To` and `References`: the missing alert's anchor. */
  readonly anchor: string;
  /** The alerts topic's message (no token, nothing from the mail). */
  readonly message: Readonly<Record<string, unknown>>;
  readonly attributes: Readonly<Record<string, string>>;
}

/** `2 h 5 min`, from `fromIso` to `toIso` (never negative). */
export function duration(fromIso: string, toIso: string): string {
  const minutes = Math.max(0, Math.floor((Date.parse(toIso) - Date.parse(fromIso)) / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}

export function lateArrivalNotice(facts: LateArrivalFacts): LateArrivalNotice {
  const { probe, arrivedAt } = facts;
  const anchor = missingProbeAnchor(probe.runId, probe.address, facts.senderDomain);
  const subject = `Re: ${missingProbeSubject(probe.address, probe.runId)}`;
  const late = duration(probe.checkAt, arrivedAt);
  const summary = [
    `The canary's probe to ${probe.address} has arrived after all: mail to this address reaches the pipeline again.`,
    `It arrived ${duration(probe.sentAt, arrivedAt)} after it was sent, ${late} after the canary reported it missing.`,
  ];
  const rows: [string, string][] = [
    ['Address', probe.address],
    ['Domain', probe.domain],
    ['Path', PATH_WORDS[probe.path]],
    ['Canary run', probe.runId],
    ['Sent', formatUtc(probe.sentAt)],
    ['Expected by', formatUtc(probe.checkAt)],
    ['Reported missing', probe.missingAlertedAt === null ? 'no' : formatUtc(probe.missingAlertedAt)],
    ['Arrived', formatUtc(arrivedAt)],
    ['Late by', late],
  ];
  const advice = [
    'What to do:',
    '1. Nothing, if the delay has an explanation (a change to MX, forwarding or the rule set that is now done).',
    "2. Otherwise look for what held the mail: the corporate forward's queue, SES's receipt rule, the sender's sending. A delay that repeats is worth the same checks as a missing probe: approval mail waits as long.",
  ];
  return {
    anchor,
    mail: {
      subject,
      text: [...summary, '', textRows(rows), '', ...advice, ''].join('\n'),
      html: htmlDocument(subject, [htmlParagraphs(summary), htmlRows(rows), htmlParagraphs(advice)].join('\n')),
    },
    message: {
      type: 'canary-late-arrival',
      subject,
      runId: probe.runId,
      address: probe.address,
      domain: probe.domain,
      path: probe.path,
      sentAt: probe.sentAt,
      checkAt: probe.checkAt,
      missingAlertedAt: probe.missingAlertedAt,
      arrivedAt,
      lateByMinutes: Math.max(0, Math.floor((Date.parse(arrivedAt) - Date.parse(probe.checkAt)) / 60_000)),
    },
    attributes: { alert: 'canary-late-arrival', outcome: 'probe' },
  };
}

const PATH_WORDS: Record<ProbeRecord['path'], string> = {
  ses: 'SES receives this address directly',
  forwarded: 'at the corporate mail system, forwarded to the pipeline',
  extra: 'where the corporate mail system forwards to',
};

/**
 * Who hears that an address works again: the security contact, and the digest recipients of every owner with a
 * routing rule whose domain suffix covers the address's domain (label boundaries, as owner-routing.ts matches),
 * or the fallback owner's when none has one. The same people the missing alert went to.
 */
export function lateArrivalRecipients(
  domain: string,
  config: Pick<Configuration, 'securityContact' | 'routing' | 'owners' | 'fallbackOwner'>,
): string[] {
  // Exactly the missing alert's recipients: the follow-up clears the alert for the people who got it.
  return missingProbeRecipients(domain, config);
}
