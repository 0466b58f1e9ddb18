/**
 * The probe key from the stack's Secrets Manager secret. The secret is a generated string (letters and digits, no
 * JSON); the key is its UTF-8 bytes, the same for the canary that signs and the router that verifies.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ProbeKeySource } from '../ports/canary.js';

/** A key shorter than this is not the stack's secret (it generates 64 characters): refuse to sign with it. */
const MIN_KEY_BYTES = 32;

export function secretsManagerProbeKey(
  secrets: () => Promise<SecretsManagerClient>,
  secretArn: string,
): ProbeKeySource {
  let key: Promise<Uint8Array> | undefined;
  const read = async (): Promise<Uint8Array> => {
    const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
    const secret = await (await secrets()).send(new GetSecretValueCommand({ SecretId: secretArn }));
    const value = Buffer.from(secret.SecretString ?? '', 'utf8');
    // Says what is wrong and where, never the value.
    if (value.length < MIN_KEY_BYTES) {
      throw new Error(
        `the probe key secret ${secretArn} holds ${value.length} bytes (expected at least ${MIN_KEY_BYTES})`,
      );
    }
    return value;
  };
  return {
    probeKey() {
      // Cached for the container's life; a failed read is not cached, so the next invocation tries again.
      key ??= read().catch((error: unknown) => {
        key = undefined;
        throw error;
      });
      return key;
    },
  };
}
