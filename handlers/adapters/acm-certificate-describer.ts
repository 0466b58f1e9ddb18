/**
 * ACM's DescribeCertificate through the read-only status role of the certificate's account (the configuration's
 * `accounts[].statusRoleArn`, the member-account stack's `<stackName>-acm-status`): STS AssumeRole, then
 * DescribeCertificate in the certificate's region. Any failure is null (logged): the events handler then decides
 * without ACM's word, never fails the event for it.
 */
import type { DescribedCertificate } from '../core/acm-events/decide.js';
import type { CertificateDescriber } from '../ports/acm-events.js';
import type { AcmStatusCheckerOptions } from './acm-status-checker.js';

export interface AcmCertificateDescriberOptions {
  readonly sts: AcmStatusCheckerOptions['sts'];
  /** Account id -> role to assume there. */
  readonly roles: ReadonlyMap<string, string>;
  readonly acmClient: AcmStatusCheckerOptions['acmClient'];
  readonly onError?: (certificateArn: string, error: unknown) => void;
}

export function acmCertificateDescriber(options: AcmCertificateDescriberOptions): CertificateDescriber {
  return {
    async describe(accountId, region, certificateArn) {
      const roleArn = options.roles.get(accountId);
      if (roleArn === undefined) return null;
      try {
        const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
        const answer = await options.sts.send(
          new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'acm-events-handler', DurationSeconds: 900 }),
        );
        const c = answer.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
        const acm = await options.acmClient(region, {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
        });
        const { DescribeCertificateCommand } = await import('@aws-sdk/client-acm');
        const described = await acm.send(new DescribeCertificateCommand({ CertificateArn: certificateArn }));
        return describedOf(described.Certificate ?? {});
      } catch (error) {
        options.onError?.(certificateArn, error);
        return null;
      }
    },
  };
}

interface CertificateDetail {
  readonly Type?: string;
  readonly DomainName?: string;
  readonly NotAfter?: Date;
  readonly DomainValidationOptions?: readonly { readonly ValidationMethod?: string }[];
}

/** Email-validated when any of its names is: that name's renewal needs approval mail. */
export function describedOf(certificate: CertificateDetail): DescribedCertificate {
  const methods = (certificate.DomainValidationOptions ?? []).map((option) => option.ValidationMethod);
  return {
    type: certificate.Type ?? null,
    validationMethod: methods.includes('EMAIL') ? 'EMAIL' : methods.includes('DNS') ? 'DNS' : null,
    domainName: certificate.DomainName ?? null,
    notAfter: certificate.NotAfter instanceof Date ? certificate.NotAfter.toISOString() : null,
  };
}
