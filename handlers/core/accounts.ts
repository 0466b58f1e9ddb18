/**
 * Which AWS accounts are ours, and their names: the configuration's list, and the organisation's active accounts
 * when the configuration reads them from AWS Organizations. A request from any other account is a foreign-account
 * security alert, so this one answer decides whether a genuine approval request reaches an owner or the security
 * contact.
 */
import type { NamedAccount } from './configuration/schema.js';

/** An active account of the organisation, as Organizations names it. */
export interface OrganizationAccount {
  readonly id: string;
  readonly name: string;
}

export interface AccountDirectory {
  isOurs(accountId: string): boolean;
  /** The configuration's name for the account, else the organisation's; null for an account that is not ours. */
  nameOf(accountId: string): string | null;
}

/** The listed accounts and the organisation's: a name from the configuration wins over the organisation's. */
export function accountDirectory(
  listed: readonly NamedAccount[],
  organization: readonly OrganizationAccount[] = [],
): AccountDirectory {
  const names = new Map<string, string>();
  for (const account of organization) names.set(account.id, account.name);
  for (const account of listed) names.set(account.id, account.name);
  return {
    isOurs: (accountId) => names.has(accountId),
    nameOf: (accountId) => names.get(accountId) ?? null,
  };
}
