/**
 * The certificate estate: every configured account's certificates in every configured region, through each
 * account's read-only status role, with the approval mail our pipeline has seen for each. A few accounts at a time
 * (ACM's and STS's request rates are per account, but the caller's network and the SDK's retries are shared); an
 * account whose role cannot be assumed, or a region that cannot be read, is reported and the rest still listed.
 */
import type { Configuration } from '../core/configuration/index.js';
import {
  type EstateCertificate,
  type EstateReport,
  estateCertificateOf,
  type SeenMail,
  type UnlistedScope,
} from '../core/estate/certificate.js';
import { estateAccounts, estateRegions } from '../core/estate/scope.js';
import type { ApprovalMailHistory, CertificateLister } from '../ports/estate.js';

export type EstateProgress =
  | { readonly kind: 'account'; readonly accountId: string; readonly accountName: string; readonly index: number }
  | {
      readonly kind: 'account-done';
      readonly accountId: string;
      readonly accountName: string;
      readonly certificates: number;
      /** Why the account (region null) or one of its regions could not be listed. */
      readonly problems: readonly UnlistedScope[];
      readonly done: number;
      readonly total: number;
    };

export interface EstateDeps {
  readonly configuration: Pick<Configuration, 'accounts' | 'region' | 'estate'>;
  readonly lister: CertificateLister;
  /** The state table's requests; absent: approval mail is not looked up (said in the report). */
  readonly history?: ApprovalMailHistory;
  readonly clock: () => Date;
  /** Accounts listed at once. @default 4 */
  readonly concurrency?: number;
  readonly onProgress?: (progress: EstateProgress) => void;
}

const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);

export function makeEstate(deps: EstateDeps) {
  return async (): Promise<EstateReport> => {
    const listedAt = deps.clock().toISOString();
    const regions = estateRegions(deps.configuration);
    const accounts = estateAccounts(deps.configuration);
    let mailHistoryNote: string | null = deps.history ? null : 'the state table was not read';
    const seenMail: ReadonlyMap<string, SeenMail> = deps.history
      ? await deps.history.seenMail().catch((error: unknown) => {
          mailHistoryNote = `the state table could not be read: ${errorText(error)}`;
          return new Map<string, SeenMail>();
        })
      : new Map<string, SeenMail>();

    const certificates: EstateCertificate[][] = accounts.map(() => []);
    const unlisted: UnlistedScope[][] = accounts.map(() => []);
    const withoutRole: { accountId: string; accountName: string }[] = [];
    let next = 0;
    let done = 0;
    let listed = 0;
    const listAccount = async (index: number) => {
      const account = accounts[index] as (typeof accounts)[number];
      const where = { accountId: account.id, accountName: account.name };
      deps.onProgress?.({ kind: 'account', ...where, index });
      const found = certificates[index] as EstateCertificate[];
      const problems = unlisted[index] as UnlistedScope[];
      if (account.statusRoleArn === null) {
        withoutRole.push(where);
      } else {
        try {
          const opened = await deps.lister.openAccount({ ...account, statusRoleArn: account.statusRoleArn });
          listed += 1;
          for (const region of regions) {
            try {
              for (const detail of await opened.list(region)) {
                found.push(
                  estateCertificateOf(detail, { ...where, region }, seenMail.get(detail.CertificateArn ?? '') ?? null),
                );
              }
            } catch (error) {
              problems.push({ ...where, region, reason: errorText(error) });
            }
          }
        } catch (error) {
          problems.push({
            ...where,
            region: null,
            reason: `cannot assume ${account.statusRoleArn}: ${errorText(error)}`,
          });
        }
      }
      done += 1;
      deps.onProgress?.({
        kind: 'account-done',
        ...where,
        certificates: found.length,
        problems,
        done,
        total: accounts.length,
      });
    };
    await Promise.all(
      Array.from({ length: Math.min(Math.max(1, deps.concurrency ?? 4), Math.max(1, accounts.length)) }, async () => {
        for (let index = next++; index < accounts.length; index = next++) await listAccount(index);
      }),
    );
    return {
      listedAt,
      regions,
      accountsListed: listed,
      // Accounts in the configuration's order, then by region and domain: the same estate reads the same way twice.
      certificates: certificates.flatMap((list) =>
        [...list].sort(
          (a, b) => a.region.localeCompare(b.region) || a.domain.localeCompare(b.domain) || a.arn.localeCompare(b.arn),
        ),
      ),
      unlisted: unlisted.flat(),
      withoutRole: withoutRole.sort((a, b) => a.accountName.localeCompare(b.accountName)),
      mailHistoryNote,
    };
  };
}
