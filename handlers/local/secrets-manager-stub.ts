/**
 * A local stand-in for AWS Secrets Manager's `GetSecretValue`, on 127.0.0.1, so that the local run and the tests
 * read the probe key through the production adapter (adapters/secrets-manager-probe-key.ts) and the real SDK client.
 * Nothing here is used in Lambda.
 *
 * It speaks the AWS JSON 1.1 protocol as Secrets Manager does: `POST /` with `X-Amz-Target:
 * secretsmanager.GetSecretValue` and `Content-Type: application/x-amz-json-1.1`, the request `{"SecretId": ...}`
 * (an ARN or a name). The answer is shaped as the API reference documents it
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html): `ARN`, `Name`,
 * `VersionId`, `SecretString`, `VersionStages` (`AWSCURRENT`) and `CreatedDate` (epoch seconds, as JSON 1.1 writes
 * timestamps); an unknown secret is HTTP 400 with `__type` `ResourceNotFoundException` and the documented message.
 * Every other action is refused with `UnknownOperationException`, so a call the stub does not know fails loudly.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerJson, readBody, refuseJson, startStubServer } from './stub-server.js';

export interface StubSecret {
  readonly name: string;
  readonly arn: string;
  readonly secretString: string;
}

export interface SecretsManagerStub {
  readonly endpoint: string;
  /** The secrets it serves, by ARN. */
  readonly secrets: ReadonlyMap<string, StubSecret>;
  /** Every `GetSecretValue` it answered or refused, by `SecretId`: tests count the reads. */
  readonly requests: readonly string[];
  stop(): Promise<void>;
}

/** A secret's ARN as Secrets Manager makes them: the name and a dash with six random characters. */
export function stubSecretArn(region: string, name: string): string {
  return `arn:aws:secretsmanager:${region}:000000000000:secret:${name}-${randomBytes(3).toString('hex')}`;
}

/** A probe key made for one run: 32 random bytes as base64url, the shape the stack's generated secret has. */
export function freshProbeKeySecret(region: string, name = 'acm-mail-probe-key'): StubSecret {
  return { name, arn: stubSecretArn(region, name), secretString: randomBytes(32).toString('base64url') };
}

const MAX_BODY_BYTES = 64 * 1024;

export async function startSecretsManagerStub(secrets: readonly StubSecret[]): Promise<SecretsManagerStub> {
  const byArn = new Map(secrets.map((secret) => [secret.arn, secret]));
  const versions = new Map(secrets.map((secret) => [secret.arn, randomUUID()]));
  const createdDate = Math.floor(Date.now() / 1000);
  const requests: string[] = [];
  const refuse = (response: ServerResponse, type: string, message: string) => refuseJson(response, type, message);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request, MAX_BODY_BYTES);
    if (body === null) return refuse(response, 'InvalidRequestException', 'request body too large');
    const target = request.headers['x-amz-target'];
    if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
      return refuse(response, 'UnknownOperationException', `the stub answers GetSecretValue only, not ${target}`);
    }
    let secretId: unknown;
    try {
      secretId = (JSON.parse(body) as { SecretId?: unknown }).SecretId;
    } catch {
      return refuse(response, 'SerializationException', 'the request body is not JSON');
    }
    if (typeof secretId !== 'string') {
      return refuse(response, 'InvalidParameterException', 'SecretId is required');
    }
    requests.push(secretId);
    const secret = byArn.get(secretId) ?? secrets.find((candidate) => candidate.name === secretId);
    if (secret === undefined) {
      return refuse(response, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    answerJson(response, 200, {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: versions.get(secret.arn),
      SecretString: secret.secretString,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: createdDate,
    });
  }

  const server = await startStubServer(handle, 'InternalServiceError');
  return {
    endpoint: server.endpoint,
    secrets: byArn,
    requests,
    stop: server.stop,
  };
}
