/**
 * The mailbox canary in each owner's digest: which watched addresses an owner depends on, and what the canary last
 * found at each.
 *
 * An address's mail can carry an owner's approvals when its validation domain V relates to one of the owner's
 * routing rules: the rule's suffix is V (requests for V itself), V is under it (a sub-domain's mailboxes), or it is
 * under V (ACM lets a certificate for shop.example.com be validated at example.com, so that team depends on
 * example.com's mailboxes). An owner with a rule on an account alone gets requests for any domain, so it sees every
 * address. The fallback owner also sees the addresses no rule's suffix relates to.
 */
import type { Configuration, Owner } from '../configuration/index.js';
import type { ProbeAddressState } from '../state.js';

/**
 * - `arrived`: the last probe arrived (or one is on its way and the one before arrived).
 * - `missing`: the last run's check found its probe missing: mail to the address is not reaching us.
 * - `pending`: probed, nothing arrived yet and nothing found missing yet (a first round on its way).
 * - `never`: the canary has not probed it.
 */
export type CanaryMark = 'arrived' | 'missing' | 'pending' | 'never';

export interface CanaryLine {
  readonly address: string;
  readonly mark: CanaryMark;
  readonly lastSuccessAt: string | null;
  readonly missingAt: string | null;
}

export function canaryMarkOf(state: ProbeAddressState): CanaryMark {
  if (state.lastSentAt === null) return 'never';
  const arrivedLast = state.lastArrivedSentAt !== null && state.lastArrivedSentAt >= state.lastSentAt;
  if (arrivedLast) return 'arrived';
  // The last run's probe has not come: missing once its check said so, until then judged by the run before.
  if (state.lastMissingAt !== null && state.lastMissingAt >= state.lastSentAt) return 'missing';
  return state.lastArrivedAt === null ? 'pending' : 'arrived';
}

const related = (domain: string, suffix: string) =>
  domain === suffix || domain.endsWith(`.${suffix}`) || suffix.endsWith(`.${domain}`);

/** The owners whose digest shows the address (see the module's comment). */
export function canaryOwnersOf(domain: string, config: Pick<Configuration, 'routing' | 'fallbackOwner'>): Set<string> {
  const owners = new Set<string>();
  for (const rule of config.routing) {
    if (rule.domainSuffix === undefined || related(domain.toLowerCase(), rule.domainSuffix)) owners.add(rule.owner);
  }
  const bySuffix = config.routing.some(
    (rule) => rule.domainSuffix !== undefined && related(domain.toLowerCase(), rule.domainSuffix),
  );
  if (!bySuffix) owners.add(config.fallbackOwner);
  return owners;
}

/** The owner's lines, missing first (what needs looking at), then never probed, then the rest, by address. */
export function canaryLinesOf(
  owner: Pick<Owner, 'name'>,
  states: readonly ProbeAddressState[],
  config: Pick<Configuration, 'routing' | 'fallbackOwner'>,
): CanaryLine[] {
  const order: Record<CanaryMark, number> = { missing: 0, never: 1, pending: 2, arrived: 3 };
  return states
    .filter((state) => canaryOwnersOf(state.domain, config).has(owner.name))
    .map((state) => ({
      address: state.address,
      mark: canaryMarkOf(state),
      lastSuccessAt: state.lastArrivedAt,
      missingAt: state.lastMissingAt,
    }))
    .sort((a, b) => order[a.mark] - order[b.mark] || a.address.localeCompare(b.address));
}
