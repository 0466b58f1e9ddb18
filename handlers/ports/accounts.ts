/** Where the router and the digest learn which accounts are ours (core/accounts.ts). */
import type { AccountDirectory, OrganizationAccount } from '../core/accounts.js';

export interface AccountSource {
  /**
   * The accounts as they stand now. `unknownAccountId`: the request being decided names this account and it was not
   * ours in the last list; a source that reads the organisation may look again (an account that joined minutes ago).
   */
  directory(unknownAccountId?: string): Promise<AccountDirectory>;
}

/** The organisation's accounts as last read, and when. */
export interface CachedAccountList {
  readonly accounts: readonly OrganizationAccount[];
  /** ISO 8601. */
  readonly readAt: string;
}

/** The last good list, shared by every container through the state table. */
export interface AccountListCache {
  read(): Promise<CachedAccountList | null>;
  write(list: CachedAccountList): Promise<void>;
}
