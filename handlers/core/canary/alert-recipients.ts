/**
 * Who hears that a watched address went dark: the security contact, and the owners whose certificates are validated
 * through that address's domain, because their next approval mail would go nowhere.
 */
import type { Configuration, Owner } from '../configuration/index.js';

type RoutingFacts = Pick<Configuration, 'routing' | 'owners' | 'fallbackOwner'>;

/**
 * The owners of a validation domain: those whose routing rule matches it as the router matches a request's domain
 * (core/routing/owner-routing.ts: the rule's `domainSuffix` is the domain or a parent of it, on label boundaries).
 * Rules on an account alone name no domain and do not count. With no such rule, the fallback owner, who receives
 * every request no rule matches.
 */
export function ownersOfDomain(domain: string, config: RoutingFacts): Owner[] {
  const name = domain.toLowerCase();
  const names = new Set<string>();
  for (const rule of config.routing) {
    const suffix = rule.domainSuffix;
    if (suffix === undefined) continue;
    if (name === suffix || name.endsWith(`.${suffix}`)) names.add(rule.owner);
  }
  if (names.size === 0) names.add(config.fallbackOwner);
  return config.owners.filter((owner) => names.has(owner.name));
}

/** The missing-probe alert's recipients: the security contact first, then the owners' digest recipients, once each. */
export function missingProbeRecipients(
  domain: string,
  config: RoutingFacts & Pick<Configuration, 'securityContact'>,
): string[] {
  const seen = new Set<string>();
  const recipients: string[] = [];
  for (const address of [
    config.securityContact,
    ...ownersOfDomain(domain, config).flatMap((o) => o.digestRecipients),
  ]) {
    if (seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    recipients.push(address);
  }
  return recipients;
}
