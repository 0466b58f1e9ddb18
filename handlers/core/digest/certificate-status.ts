/**
 * What ACM's DescribeCertificate says about a request, reduced to what the digest shows. For a new certificate the
 * certificate's own status decides; for a renewal the certificate stays ISSUED throughout, so its renewal summary
 * does (ACM API Reference, CertificateDetail and RenewalSummary).
 */
export type CertificateStatus = 'issued' | 'pending' | 'failed' | 'unknown';

export interface AcmCertificateFacts {
  readonly Status?: string;
  readonly RenewalSummary?: { readonly RenewalStatus?: string };
}

export function certificateStatusOf(certificate: AcmCertificateFacts, renewal: boolean): CertificateStatus {
  if (renewal) {
    switch (certificate.RenewalSummary?.RenewalStatus) {
      case 'SUCCESS':
        return 'issued';
      case 'PENDING_AUTO_RENEWAL':
      case 'PENDING_VALIDATION':
        return 'pending';
      case 'FAILED':
        return 'failed';
      default:
        return 'unknown';
    }
  }
  switch (certificate.Status) {
    case 'ISSUED':
      return 'issued';
    case 'PENDING_VALIDATION':
      return 'pending';
    case 'FAILED':
    case 'VALIDATION_TIMED_OUT':
    case 'REVOKED':
    case 'EXPIRED':
    case 'INACTIVE':
      return 'failed';
    default:
      return 'unknown';
  }
}
