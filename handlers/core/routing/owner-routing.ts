/**
 * Which owner a request from one of our accounts goes to: the rule with the most specific matching domain suffix
 * (label boundaries: `example.com` matches `shop.example.com` but never `badexample.com`), then a rule on the account
 * id alone, then the fallback owner. A rule with both a suffix and an account matches only when both do.
 */
import type { Configuration, Owner, RoutingRule } from '../configuration/index.js';

export interface RoutingChoice {
  readonly owner: Owner;
  /** The rule that decided, or null for the fallback owner. */
  readonly rule: RoutingRule | null;
}

export function routeToOwner(
  request: { readonly domain: string; readonly accountId: string },
  config: Pick<Configuration, 'routing' | 'owners' | 'fallbackOwner'>,
): RoutingChoice {
  const domain = request.domain.replace(/^\*\./, '').toLowerCase();
  let best: { rule: RoutingRule; labels: number } | null = null;
  for (const rule of config.routing) {
    if (rule.domainSuffix === undefined) continue;
    if (rule.accountId !== undefined && rule.accountId !== request.accountId) continue;
    if (domain !== rule.domainSuffix && !domain.endsWith(`.${rule.domainSuffix}`)) continue;
    const labels = rule.domainSuffix.split('.').length + (rule.accountId === undefined ? 0 : 0.5);
    if (best === null || labels > best.labels) best = { rule, labels };
  }
  const byAccount = config.routing.find(
    (rule) => rule.domainSuffix === undefined && rule.accountId === request.accountId,
  );
  const rule = best?.rule ?? byAccount ?? null;
  const ownerName = rule?.owner ?? config.fallbackOwner;
  const owner = config.owners.find((candidate) => candidate.name === ownerName);
  // The configuration's cross-field checks guarantee every rule names an owner; this guards the type only.
  if (owner === undefined) throw new Error(`routing: owner "${ownerName}" is not configured`);
  return { owner, rule };
}
