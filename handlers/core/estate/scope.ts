/**
 * What the estate covers, from the configuration: the regions listed in every account, the Route 53 hosted zones
 * that count as "ours" for DNS validation, and the read-only role of each account.
 */
import type { Configuration } from '../configuration/index.js';

/** CloudFront uses certificates only from US East (N. Virginia) (ACM User Guide, "Supported Regions"). */
export const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

export interface KnownHostedZone {
  readonly id: string;
  readonly name: string;
}

/** `estate.regions`, or the configuration's region and us-east-1. */
export function estateRegions(config: Pick<Configuration, 'region' | 'estate'>): string[] {
  return [...new Set(config.estate.regions ?? [config.region, CLOUDFRONT_CERTIFICATE_REGION])];
}

/** The validation domains' hosted zones and `estate.hostedZones`, each zone once (by id). */
export function knownHostedZones(config: Pick<Configuration, 'validationDomains' | 'estate'>): KnownHostedZone[] {
  const zones = new Map<string, KnownHostedZone>();
  for (const zone of [
    ...config.validationDomains.flatMap((domain) => (domain.hostedZone ? [domain.hostedZone] : [])),
    ...config.estate.hostedZones,
  ]) {
    if (!zones.has(zone.id)) zones.set(zone.id, { id: zone.id, name: zone.name.toLowerCase() });
  }
  return [...zones.values()];
}

/** The accounts the estate lists: each listed account, with its status role or null when it has none. */
export function estateAccounts(
  config: Pick<Configuration, 'accounts'>,
): { readonly id: string; readonly name: string; readonly statusRoleArn: string | null }[] {
  return config.accounts.list.map((account) => ({
    id: account.id,
    name: account.name,
    statusRoleArn: account.statusRoleArn ?? null,
  }));
}
