/**
 * The probe key from Secrets Manager: `GetSecretValue` on the stack's secret, the key being the UTF-8 bytes of its
 * `SecretString`, read once and kept for the life of the process. Asked for only when a mail that looks like a probe
 * arrives, so ordinary mail and cold starts never call Secrets Manager, and a router whose canary is disabled (no
 * secret, no environment variable) keeps working until such a mail asks for the key.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from '../core/deployment-contract.js';
import type { ProbeKeySource } from '../ports/canary.js';

/** The key could not be had: no secret configured, or a secret without a usable string. */
export class ProbeKeyUnavailableError extends Error {
  override readonly name = 'ProbeKeyUnavailableError';
}

/** The shortest key accepted: the stack generates 32 characters or more; less is not a key anyone meant. */
const MIN_KEY_BYTES = 16;

export function secretsManagerProbeKey(
  client: () => Promise<SecretsManagerClient>,
  secretArn: string | null,
): ProbeKeySource {
  let key: Promise<Uint8Array> | undefined;
  async function read(): Promise<Uint8Array> {
    if (secretArn === null) {
      throw new ProbeKeyUnavailableError(
        `environment variable ${ENV.probeKeySecret} is not set: the router cannot check a probe without the probe key (is the canary enabled and the stack deployed with it?)`,
      );
    }
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const answer = await (await client()).send(new GetSecretValueCommand({ SecretId: secretArn }));
    const bytes = Buffer.from(answer.SecretString ?? '', 'utf8');
    if (bytes.length < MIN_KEY_BYTES) {
      throw new ProbeKeyUnavailableError(
        `secret ${secretArn} holds no probe key (expected a SecretString of at least ${MIN_KEY_BYTES} bytes, got ${answer.SecretString === undefined ? 'none' : `${bytes.length}`})`,
      );
    }
    return new Uint8Array(bytes);
  }
  return {
    probeKey() {
      // A failed read is not cached: the next probe (or Lambda's retry) asks again.
      key ??= read().catch((error: unknown) => {
        key = undefined;
        throw error;
      });
      return key;
    },
  };
}
