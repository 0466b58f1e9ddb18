/** What the digest needs: the state table's digest index, ACM's word on a certificate, and a mailer (ports/mail.ts). */
import type { CertificateStatus } from '../core/digest/certificate-status.js';
import type { DigestRequest, SecurityEvent } from '../core/state.js';

export interface DigestStore {
  /** The owner's current requests whose approval deadline is after `since`. */
  requestsOf(owner: string, since: string): Promise<DigestRequest[]>;
  /** Security outcomes recorded after `since`. */
  securityEvents(since: string): Promise<SecurityEvent[]>;
}

export interface CertificateStatusChecker {
  statusOf(request: DigestRequest): Promise<CertificateStatus>;
}
