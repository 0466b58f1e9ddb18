/**
 * The alert for a probe that did not arrive in time: which address went dark, by which path its mail travels, when it
 * last worked, and what to check, in order, for that path. English, like the security alerts: it goes to the security
 * contact and the domain's owners together.
 *
 * Made only from the configuration and the canary's own records: nothing of any received mail is in it, and it holds
 * no link (the checks are commands and names to type, not something to click).
 */
import { createHash } from 'node:crypto';
import { domainOf } from '../addresses.js';
import {
  formatUtc,
  htmlDocument,
  htmlParagraphs,
  htmlRows,
  type RenderedMail,
  textRows,
} from '../routing/presentation.js';
import type { ProbeAddressState, ProbeRecord } from '../state.js';
import type { ProbePath } from './targets.js';

export interface MissingProbeFacts {
  readonly probe: ProbeRecord;
  /** The address's state as it was before this check marked it missing (what last worked, and when). */
  readonly state: ProbeAddressState;
  readonly stackName: string;
  readonly region: string;
  /** The verified sender the probe came from. */
  readonly sender: string;
  /** Where the corporate mail system forwards the five mailboxes of forwarded domains. */
  readonly extraInboundAddresses: readonly string[];
  /** The receipt rule set our rules are in. */
  readonly ruleSetName: string;
}

/**
 * The subject of the alert for `address` in run `runId`. Stable, so the follow-up a late arrival sends can repeat it
 * (as `Re: ...`) and thread with the alert in every mail client, also those that ignore `References`.
 */
export function missingProbeSubject(address: string, runId: string): string {
  return `[ACM canary] No probe arrived at ${address} (run ${runId})`;
}

/**
 * A Message-ID-shaped anchor for the alert's thread, at the sender's domain. SES replaces our Message-ID but keeps
 * `References`: the alert and the late-arrival follow-up both reference this, so they thread together. The address
 * is hashed because a local part with `@` cannot stand in a Message-ID's left side.
 */
export function missingProbeAnchor(runId: string, address: string, senderDomain: string): string {
  const digest = createHash('sha256').update(`${runId}\n${address}`).digest('hex').slice(0, 32);
  return `<acm-canary.${digest}@${senderDomain}>`;
}

const PATH_WORDS: Record<ProbePath, string> = {
  ses: 'SES receives this address directly (MX record of the domain, receipt rule)',
  forwarded: 'the corporate mail system receives this address and forwards it to the pipeline',
  extra: 'SES receives this address directly; the corporate mail system forwards the ACM mailboxes to it',
};

export function renderMissingProbeAlert(facts: MissingProbeFacts): RenderedMail {
  const { probe, state } = facts;
  const subject = missingProbeSubject(probe.address, probe.runId);
  const intro = [
    `The daily probe mail to ${probe.address} did not reach the pipeline within the expected time.`,
    'ACM approval mail to this address would be lost the same way: until this is fixed, a certificate validated ' +
      'through it cannot be approved, and a renewal will fail when its approval mail goes nowhere.',
  ];
  const rows: [string, string][] = [
    ['Address', probe.address],
    ['Domain', probe.domain],
    ['Path', `${probe.path}: ${PATH_WORDS[probe.path]}`],
    ['Probe sent', `${formatUtc(probe.sentAt)} from ${facts.sender}`],
    ['Expected by', formatUtc(probe.checkAt)],
    ['Last seen working', lastSeenWorking(state)],
    ['Canary run', `${probe.runId} (stack ${facts.stackName})`],
  ];
  const advice = [
    'What to check, in this order:',
    ...checksFor(facts).map((check, index) => `${index + 1}. ${check}`),
    'A probe that arrives late is reported with a follow-up to this alert; the next daily run tests the address again.',
  ];
  return {
    subject,
    text: [...intro, '', textRows(rows), '', ...advice, ''].join('\n'),
    html: htmlDocument(subject, [htmlParagraphs(intro), htmlRows(rows), htmlParagraphs(advice)].join('\n')),
  };
}

function lastSeenWorking(state: ProbeAddressState): string {
  if (state.lastArrivedAt === null) return 'never: no probe to this address has arrived since the canary started';
  const sent = state.lastArrivedSentAt === null ? '' : ` (probe sent ${formatUtc(state.lastArrivedSentAt)})`;
  return `${formatUtc(state.lastArrivedAt)}${sent}`;
}

/** The checks for the probe's path, most likely cause first; each says what to look at and the command to see it. */
function checksFor(facts: MissingProbeFacts): string[] {
  const { probe, region } = facts;
  const inboundMx = `10 inbound-smtp.${region}.amazonaws.com`;
  const extras = facts.extraInboundAddresses.length > 0 ? facts.extraInboundAddresses.join(', ') : '(none configured)';
  const mx = (domain: string) =>
    `MX: ${domain} must have exactly the MX record "${inboundMx}" (dig +short MX ${domain}); another MX, or one ` +
    'added beside it, sends mail elsewhere.';
  const ruleSet = (address: string) =>
    `Receipt rule set: "${facts.ruleSetName}" must be the active rule set in ${region} ` +
    `(aws ses describe-active-receipt-rule-set --region ${region}) and our rules must list ${address} among their ` +
    'recipients, enabled, with the S3 and Lambda actions; another team activating its own set stops ours.';
  const sending =
    `SES sending: the account must be able to send in ${region} (aws sesv2 get-account --region ${region}: ` +
    `SendingEnabled true, not under review or suspended) and ${facts.sender} must be verified; otherwise no probe ` +
    'left at all, and every address reports missing at once.';
  const pipeline =
    'Pipeline: the router log and the RouterErrors and DeadLetters alarms (the probe may have arrived but failed).';
  const doctor =
    'Then run: npx acm-mail doctor --config <your configuration file> --probe (checks all of the above and sends ' +
    'a probe now).';
  const extraDomains = [...new Set(facts.extraInboundAddresses.map((address) => domainOf(address)))];
  switch (probe.path) {
    case 'ses':
      return [mx(probe.domain), ruleSet(probe.address), sending, pipeline, doctor];
    case 'forwarded':
      return [
        `Corporate forward: the corporate mail system must still forward ${probe.address} to ${extras}, unchanged ` +
          '(a forward that rewrites the mail breaks its DKIM signature); look for a removed rule, a disabled ' +
          "mailbox, or a spam filter that held the probe. The domain's MX stays with the corporate system.",
        ...extraDomains.map(mx),
        ruleSet(extras),
        sending,
        pipeline,
        doctor,
      ];
    case 'extra':
      return [mx(probe.domain), ruleSet(probe.address), sending, pipeline, doctor];
  }
}
