/**
 * Lists an account's certificates through its read-only status role: STS AssumeRole once per account, then in each
 * region ACM ListCertificates (every page, every key type: by default ACM lists only RSA_1024 and RSA_2048 ones; ACM
 * API Reference, Filters, keyTypes) and DescribeCertificate for each, a few at a time. Throttling is the SDK's
 * standard retry mode (exponential backoff with jitter on ThrottlingException), with more attempts than the default
 * because a large account's listing is many calls in a row.
 */
import type { ACMClient, ACMClientConfig } from '@aws-sdk/client-acm';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AcmCertificateDetail } from '../core/estate/certificate.js';
import type { AccountCertificates, CertificateLister, EstateAccount } from '../ports/estate.js';
import { acmClients } from './acm-status-checker.js';

export interface AcmEstateListerOptions {
  readonly sts: STSClient;
  /** Builds an ACM client for a region with temporary credentials; tests and the local run point it at a stub. */
  readonly acmClient: (region: string, credentials: NonNullable<ACMClientConfig['credentials']>) => Promise<ACMClient>;
  /** DescribeCertificate calls at once within one account and region. @default 3 */
  readonly describeConcurrency?: number;
}

/** Every key algorithm ListCertificates accepts in `Includes.keyTypes` (ACM API Reference, Filters). */
const ALL_KEY_TYPES = [
  'RSA_1024',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'EC_prime256v1',
  'EC_secp384r1',
  'EC_secp521r1',
] as const;

/** The session name the status role sees in CloudTrail. */
const SESSION_NAME = 'acm-mail-estate';

export function acmEstateLister(options: AcmEstateListerOptions): CertificateLister {
  return {
    async openAccount(account: EstateAccount): Promise<AccountCertificates> {
      const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
      const answer = await options.sts.send(
        new AssumeRoleCommand({ RoleArn: account.statusRoleArn, RoleSessionName: SESSION_NAME, DurationSeconds: 900 }),
      );
      const c = answer.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey)
        throw new Error(`AssumeRole ${account.statusRoleArn} returned no credentials`);
      const credentials = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      };
      return {
        async list(region) {
          const acm = await options.acmClient(region, credentials);
          const { paginateListCertificates, DescribeCertificateCommand } = await import('@aws-sdk/client-acm');
          const arns: string[] = [];
          for await (const page of paginateListCertificates(
            { client: acm },
            { Includes: { keyTypes: [...ALL_KEY_TYPES] } },
          )) {
            for (const summary of page.CertificateSummaryList ?? []) {
              if (summary.CertificateArn) arns.push(summary.CertificateArn);
            }
          }
          const details: AcmCertificateDetail[] = new Array(arns.length);
          let next = 0;
          await Promise.all(
            Array.from({ length: Math.min(options.describeConcurrency ?? 3, Math.max(1, arns.length)) }, async () => {
              for (let index = next++; index < arns.length; index = next++) {
                const described = await acm.send(new DescribeCertificateCommand({ CertificateArn: arns[index] }));
                details[index] = (described.Certificate ?? { CertificateArn: arns[index] }) as AcmCertificateDetail;
              }
            }),
          );
          return details;
        },
      };
    },
  };
}

/** The production ACM client factory for the estate: one client per region and session, standard retries. */
export function estateAcmClients(
  settings: Pick<ACMClientConfig, 'endpoint'> = {},
): AcmEstateListerOptions['acmClient'] {
  // Six attempts with the standard mode's backoff: a full listing of many accounts meets ACM's throttling.
  return acmClients({ retryMode: 'standard', maxAttempts: 6, ...settings });
}
