/**
 * Which addresses the mailbox canary probes. Every address whose mail should reach the router is one, each with the
 * path its mail takes, so an alert can say what to check when a probe does not come back.
 */
import { domainOf } from '../addresses.js';
import { ACM_MAILBOXES, type Configuration } from '../configuration/index.js';
import type { ProbeAddressState } from '../state.js';

/**
 * - `ses`: one of the five mailboxes of an SES-receiving domain; the probe tests MX, identity, rule set and rule.
 * - `forwarded`: one of the five mailboxes of a forwarded domain, at the corporate mail system; the probe tests the
 *   corporate forward too.
 * - `extra`: an extra inbound address (where the corporate forward delivers), probed directly.
 */
export type ProbePath = 'ses' | 'forwarded' | 'extra';

export interface ProbeTarget {
  /** Lower case; the probe's token names it. */
  readonly address: string;
  /** The validation domain the address belongs to, or the extra address's own domain. */
  readonly domain: string;
  readonly path: ProbePath;
}

type CanaryFacts = Pick<Configuration, 'validationDomains' | 'extraInboundAddresses'>;

/** Every watched address the canary mails, in configuration order: SES mailboxes, corporate mailboxes, extras. */
export function probeTargets(config: CanaryFacts): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  for (const domain of config.validationDomains) {
    if (domain.receive === 'forwarded' && !domain.probeForwarding) continue;
    const path: ProbePath = domain.receive === 'ses' ? 'ses' : 'forwarded';
    for (const box of ACM_MAILBOXES) targets.push({ address: `${box}@${domain.name}`, domain: domain.name, path });
  }
  for (const extra of config.extraInboundAddresses) {
    const address = extra.toLowerCase();
    targets.push({ address, domain: domainOf(address), path: 'extra' });
  }
  // An address listed twice (an extra address that is also one of the five) is probed once, by its first path.
  const seen = new Set<string>();
  return targets.filter((target) => !seen.has(target.address) && seen.add(target.address) !== undefined);
}

/** The canary's word on an address it has never probed: every time null. */
export function neverProbed(target: Pick<ProbeTarget, 'address' | 'domain' | 'path'>): ProbeAddressState {
  return {
    address: target.address,
    domain: target.domain,
    path: target.path,
    lastRunId: null,
    lastSentAt: null,
    lastArrivedAt: null,
    lastArrivedSentAt: null,
    lastMissingAt: null,
  };
}
