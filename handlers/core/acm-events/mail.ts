/**
 * The mail the events handler sends: the "issued: you can close this ticket" follow-up in a request's ticket thread,
 * and the "renewal due but no approval mail arrived" alert. English, like the security alerts (the catalogue's
 * languages cover the router's tickets and the digest). Text from the event (its CommonName) is shown through
 * `presentMailText`: anything that can put events on the bus wrote it.
 */
import { ACM_MAILBOXES } from '../configuration/schema.js';
import { presentMailText } from '../routing/defang.js';
import {
  formatUtc,
  htmlDocument,
  htmlParagraphs,
  htmlRows,
  type RenderedMail,
  textRows,
} from '../routing/presentation.js';
import type { CertificateRequestState } from '../state.js';
import type { AcmCertificateEvent } from './acm-event.js';
import type { RenewalWindow } from './decide.js';

/** The subject tag of the missing-mail alert (the local run files such mail as alerts by it). */
export const RENEWAL_ALERT_TAG = '[ACM renewal]';

function compose(
  subject: string,
  intro: readonly string[],
  rows: readonly (readonly [string, string])[],
  advice: readonly string[],
): RenderedMail {
  return {
    subject,
    text: [...intro, '', textRows(rows), '', ...advice, ''].join('\n'),
    html: htmlDocument(subject, [htmlParagraphs(intro), htmlRows(rows), htmlParagraphs(advice)].join('\n')),
  };
}

/**
 * The follow-up that closes a request's ticket. Its subject is the first ticket's behind `Re: ` (as the router's
 * follow-ups), so systems that thread by subject see one conversation; the threading headers come from the queue's
 * delivery profile (core/routing/delivery.ts, `ticketDeliveries`).
 */
export function renderIssuedFollowUp(
  request: CertificateRequestState,
  event: AcmCertificateEvent,
  accountName: string | null,
): RenderedMail {
  const subject = `Re: ${request.ticketSubject ?? `[ACM approval] ${request.domain}`}`;
  const intro = [
    `Issued: ACM says the certificate for ${request.domain} is issued${event.action === 'RENEWAL' ? ' (renewed)' : ''}. You can close this ticket; nothing is left to approve.`,
  ];
  const rows: [string, string][] = [
    ['Domain', request.domain],
    ['AWS account', accountName ? `${accountName} (${request.accountId})` : request.accountId],
    ['Region', request.region],
    ['Certificate', request.certificateArn],
    ['Issued (ACM event)', formatUtc(event.time)],
    ...(event.expiresAt ? ([['Certificate expires', formatUtc(event.expiresAt)]] as [string, string][]) : []),
    ['Request', request.key],
  ];
  return compose(subject, intro, rows, ['Any approval link of this request is now spent; ignore later copies of it.']);
}

/** A DNS name (a wildcard's `*.` allowed): shown as it is, since a DNS name holds no link. */
const DNS_NAME = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;

/** A CommonName from an event as we show it: a DNS name as it is, anything else defanged. */
export function shownDomain(name: string): string {
  return DNS_NAME.test(name) ? name.toLowerCase() : presentMailText(name);
}

/** The validation domain ACM mails for a name: a leading `*.` or `www.` removed (ACM User Guide, email-validation). */
function validationDomainOf(domain: string): string {
  return domain.replace(/^\*\./, '').replace(/^www\./, '');
}

export interface RenewalAlertFacts {
  readonly event: AcmCertificateEvent;
  readonly window: RenewalWindow;
  readonly domain: string;
  readonly accountName: string | null;
  readonly owner: string;
  /** How we know mail is expected: ACM's event, ACM's DescribeCertificate, or earlier approval mail for it. */
  readonly knownBy: 'event' | 'acm' | 'mail-seen';
  /** Our region of SES receiving: the MX every validation domain received by SES must name. */
  readonly receivingRegion: string;
}

const KNOWN_BY: Record<RenewalAlertFacts['knownBy'], string> = {
  event: "ACM's event says the certificate is email-validated",
  acm: 'ACM (DescribeCertificate) says the certificate is email-validated',
  'mail-seen': 'approval mail for this certificate reached us before',
};

/** The silent-lapse alert: a renewal is due, the certificate is email-validated, and no approval mail arrived. */
export function renderRenewalMailMissingAlert(facts: RenewalAlertFacts): RenderedMail {
  const { event, window } = facts;
  const domain = shownDomain(facts.domain);
  const validationDomain = validationDomainOf(domain);
  const account = facts.accountName ? `${facts.accountName} (${event.accountId})` : event.accountId;
  const subject = `${RENEWAL_ALERT_TAG} Renewal due but no approval mail arrived: ${domain} (${facts.accountName ?? event.accountId})`;
  const intro = [
    `ACM says the certificate for ${domain} is due for renewal, and no approval mail for it has reached the watched mailboxes since ${formatUtc(window.start)} (45 days before expiry). Unless someone approves the renewal, the certificate expires at ${formatUtc(window.certificateExpiresAt)}.`,
  ];
  const rows: [string, string][] = [
    ['Domain', domain],
    ['AWS account', account],
    ['Region', event.region],
    ['Certificate', event.certificateArn],
    ['ACM event', `${event.type} at ${formatUtc(event.time)}`],
    ...(event.daysToExpiry !== null ? ([['Days to expiry', String(event.daysToExpiry)]] as [string, string][]) : []),
    ...(event.renewalStatusReason ? ([['Renewal status', event.renewalStatusReason]] as [string, string][]) : []),
    ['Certificate expires', formatUtc(window.certificateExpiresAt)],
    ['Why mail is expected', KNOWN_BY[facts.knownBy]],
    ['Owner', facts.owner],
  ];
  const advice = [
    'What to check:',
    `1. MX: the validation domain (${validationDomain}, or the superdomain chosen when the certificate was requested) must have MX 10 inbound-smtp.${facts.receivingRegion}.amazonaws.com, or a mail system that forwards to it (acm-mail doctor checks this).`,
    `2. The five mailboxes: ${ACM_MAILBOXES.map((part) => `${part}@${validationDomain}`).join(', ')} must all be received by the pipeline (the receipt rule's recipients, or the forwarding below).`,
    "3. Forwarding: where the domain's mail stays with the corporate mail system, its forwarding of the five mailboxes must still work (the mailbox canary's last word on each address is in the digest).",
    '4. Then ask ACM to send the approval mail again (ACM console: Resend validation email, or ResendValidationEmail); the ticket follows as usual. Or move the certificate to DNS validation, which renews without mail.',
  ];
  return compose(subject, intro, rows, advice);
}
