/** Facts that follow from a configuration: which addresses SES receives for, and which ones we must never mail. */
import { ACM_MAILBOXES, type Configuration } from './schema.js';

type DomainsAndExtras = Pick<Configuration, 'validationDomains' | 'extraInboundAddresses'>;

/** Validation domains whose MX points at SES: each gets an identity (unless existing), an MX record, a rule. */
export function sesReceivingDomains(config: Pick<Configuration, 'validationDomains'>): string[] {
  return config.validationDomains.filter((domain) => domain.receive === 'ses').map((domain) => domain.name);
}

/**
 * Recipients of our receipt rules: the five ACM mailboxes of every SES-receiving validation domain, then the extra
 * inbound addresses. A forwarded domain's mailboxes are left out on purpose: its MX is elsewhere, so listing them
 * would only let someone deliver straight to SES and skip the corporate mail system's own filtering.
 */
export function receiptRecipients(config: DomainsAndExtras): string[] {
  const mailboxes = sesReceivingDomains(config).flatMap((domain) => ACM_MAILBOXES.map((box) => `${box}@${domain}`));
  return [...mailboxes, ...config.extraInboundAddresses.map((address) => address.toLowerCase())];
}

/**
 * Every address whose mail ends up in the router: all five mailboxes of every validation domain (forwarded ones
 * come back through the corporate forward) and the extra inbound addresses. Mail we send must never go there.
 */
export function watchedAddresses(config: DomainsAndExtras): Set<string> {
  const mailboxes = config.validationDomains.flatMap((domain) => ACM_MAILBOXES.map((box) => `${box}@${domain.name}`));
  return new Set([...mailboxes, ...config.extraInboundAddresses.map((address) => address.toLowerCase())]);
}

/**
 * The central event bus's name: fixed by the stack name, so member accounts' forwarding rules can name it before it
 * exists (`arn:<partition>:events:<region>:<account>:event-bus/<name>`).
 */
export function eventBusName(config: Pick<Configuration, 'stackName'>): string {
  return `${config.stackName}-events`;
}
