/** What the estate needs from AWS: each account's certificates through its status role, and our mail history. */
import type { AcmCertificateDetail, EstateReport, SeenMail } from '../core/estate/certificate.js';

export interface EstateAccount {
  readonly id: string;
  readonly name: string;
  readonly statusRoleArn: string;
}

export interface CertificateLister {
  /** Opens the account (assumes its status role); rejects when that fails, and nothing of the account is listed. */
  openAccount(account: EstateAccount): Promise<AccountCertificates>;
}

export interface AccountCertificates {
  /** Every certificate of the account in the region, described (all pages, every key type). */
  list(region: string): Promise<AcmCertificateDetail[]>;
}

export interface ApprovalMailHistory {
  /** By certificate ARN: the approval mail our pipeline received for it. */
  seenMail(): Promise<ReadonlyMap<string, SeenMail>>;
}

/** Where the digest gets the estate: a listing now (handlers/estate), or later a store kept current from ACM's events. */
export interface EstateSource {
  estate(): Promise<EstateReport>;
}
