/** The production probe-key adapter over the real SDK client, against the local Secrets Manager stub over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../handlers/adapters/aws-clients.js';
import { ProbeKeyUnavailableError, secretsManagerProbeKey } from '../../handlers/adapters/secrets-manager-probe-key.js';
import {
  freshProbeKeySecret,
  type SecretsManagerStub,
  type StubSecret,
  startSecretsManagerStub,
} from '../../handlers/local/secrets-manager-stub.js';
import { LOCAL_CREDENTIALS } from '../../handlers/local/services.js';

let stub: SecretsManagerStub;
const secret: StubSecret = freshProbeKeySecret('eu-west-1');
const short: StubSecret = {
  name: 'short',
  arn: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:short-abcdef',
  secretString: 'too short',
};
beforeAll(async () => {
  stub = await startSecretsManagerStub([secret, short]);
});
afterAll(() => stub.stop());

const client = () =>
  awsClients({
    region: 'eu-west-1',
    endpoints: { secretsmanager: stub.endpoint },
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  }).secretsManager;

describe('the Secrets Manager probe key', () => {
  it("is the UTF-8 bytes of the secret's SecretString, read once for the life of the process", async () => {
    const before = stub.requests.length;
    const keys = secretsManagerProbeKey(client(), secret.arn);
    const [first, second] = await Promise.all([keys.probeKey(), keys.probeKey()]);
    expect(Buffer.from(first)).toEqual(Buffer.from(secret.secretString, 'utf8'));
    expect(await keys.probeKey()).toBe(second);
    expect(stub.requests.slice(before)).toEqual([secret.arn]);
  });

  it('without a configured secret, fails only when asked, naming the environment variable', async () => {
    const keys = secretsManagerProbeKey(client(), null);
    await expect(keys.probeKey()).rejects.toThrow(ProbeKeyUnavailableError);
    await expect(keys.probeKey()).rejects.toThrow(/environment variable PROBE_KEY_SECRET_ARN is not set/);
  });

  it('refuses a secret too short to be a key, and an unknown secret, and asks again next time', async () => {
    await expect(secretsManagerProbeKey(client(), short.arn).probeKey()).rejects.toThrow(
      /holds no probe key \(expected a SecretString of at least 16 bytes, got 9\)/,
    );
    const before = stub.requests.length;
    const missing = secretsManagerProbeKey(client(), `${secret.arn}-gone`);
    await expect(missing.probeKey()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(missing.probeKey()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(stub.requests.length - before).toBe(2);
  });

  it('the stub answers as the API reference documents GetSecretValue, and refuses other actions', async () => {
    const answer = await fetch(stub.endpoint, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'secretsmanager.GetSecretValue', 'Content-Type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ SecretId: secret.name }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      ARN: secret.arn,
      Name: secret.name,
      VersionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      SecretString: secret.secretString,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: expect.any(Number),
    });
    const other = await fetch(stub.endpoint, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'secretsmanager.PutSecretValue', 'Content-Type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ SecretId: secret.arn, SecretString: 'x' }),
    });
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
