/**
 * Asks ACM about a request's certificate through a read-only role in the owning account: STS AssumeRole, then
 * DescribeCertificate in the certificate's region. Any failure (no role, access denied, the certificate deleted)
 * is `unknown`, never an error: one broken account must not stop everyone's digest.
 */
import type { ACMClient, ACMClientConfig } from '@aws-sdk/client-acm';
import type { STSClient } from '@aws-sdk/client-sts';
import { certificateStatusOf } from '../core/digest/certificate-status.js';
import type { DigestRequest } from '../core/state.js';
import type { CertificateStatusChecker } from '../ports/digest.js';

export interface AcmStatusCheckerOptions {
  readonly sts: STSClient;
  /** Account id -> role to assume there (the configuration's `accounts[].statusRoleArn`). */
  readonly roles: ReadonlyMap<string, string>;
  /** Builds an ACM client for a region with temporary credentials; tests point it at a stub. */
  readonly acmClient: (region: string, credentials: NonNullable<ACMClientConfig['credentials']>) => Promise<ACMClient>;
  readonly onError?: (request: DigestRequest, error: unknown) => void;
}

export function acmStatusChecker(options: AcmStatusCheckerOptions): CertificateStatusChecker {
  const sessions = new Map<string, Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>>();
  const credentialsFor = (roleArn: string) => {
    let session = sessions.get(roleArn);
    if (session === undefined) {
      session = (async () => {
        const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
        const answer = await options.sts.send(
          new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'acm-approval-digest', DurationSeconds: 900 }),
        );
        const c = answer.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
      })();
      // A failed AssumeRole is not cached: the next request of that account tries again.
      session.catch(() => sessions.delete(roleArn));
      sessions.set(roleArn, session);
    }
    return session;
  };
  return {
    async statusOf(request) {
      const roleArn = options.roles.get(request.accountId);
      if (roleArn === undefined) return 'unknown';
      try {
        const acm = await options.acmClient(request.region, await credentialsFor(roleArn));
        const { DescribeCertificateCommand } = await import('@aws-sdk/client-acm');
        const answer = await acm.send(new DescribeCertificateCommand({ CertificateArn: request.certificateArn }));
        return certificateStatusOf(answer.Certificate ?? {}, request.renewal);
      } catch (error) {
        options.onError?.(request, error);
        return 'unknown';
      }
    },
  };
}

/**
 * The production ACM client factory: one client per region and role session. `settings` add to (or replace) the
 * client's own: the estate's listing asks for more retries, a local run for the stub's endpoint.
 */
export function acmClients(
  settings: Omit<ACMClientConfig, 'region' | 'credentials'> = {},
): AcmStatusCheckerOptions['acmClient'] {
  const clients = new Map<string, ACMClient>();
  return async (region, credentials) => {
    const key = `${region}|${typeof credentials === 'function' ? 'provider' : credentials.accessKeyId}`;
    let client = clients.get(key);
    if (client === undefined) {
      const { ACMClient: Client } = await import('@aws-sdk/client-acm');
      client = new Client({ region, credentials, maxAttempts: 3, ...settings });
      clients.set(key, client);
    }
    return client;
  };
}
