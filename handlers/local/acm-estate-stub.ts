/**
 * A local stand-in for the two AWS APIs the estate calls, on 127.0.0.1, so that the local run and the tests list
 * certificates through the production adapter (adapters/acm-estate-lister.ts) and the real SDK clients. Nothing here
 * is used in Lambda.
 *
 * - STS AssumeRole, query protocol (`Action=AssumeRole&RoleArn=...`), answered in XML as the STS API Reference shows
 *   (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html); a role in `deniedRoles` is refused
 *   with HTTP 403 `AccessDenied`, as STS refuses a role whose trust policy does not admit the caller. The temporary
 *   access key names the role's account, so the ACM calls signed with it are answered for that account.
 * - ACM ListCertificates and DescribeCertificate, JSON 1.1 (`X-Amz-Target: CertificateManager.<Action>`), as the ACM
 *   API Reference shows (API_ListCertificates.html, API_DescribeCertificate.html; timestamps as epoch seconds). The
 *   region is the signature's scope. ListCertificates pages by `MaxItems` (default: the stub's page size) and
 *   `NextToken`, and without `Includes.keyTypes` lists only RSA_1024 and RSA_2048 certificates, as ACM does.
 * - `throttleNext`: that many of the next ACM calls answer HTTP 400 `ThrottlingException` ("Rate exceeded").
 * Every other action is refused, so a call the stub does not know fails loudly.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerJson, readBody, refuseJson, startStubServer } from './stub-server.js';

/** One certificate as ACM's DescribeCertificate would describe it (dates as ISO strings here). */
export interface StubCertificate {
  readonly CertificateArn: string;
  readonly DomainName: string;
  readonly SubjectAlternativeNames?: readonly string[];
  readonly ValidationMethod: 'EMAIL' | 'DNS';
  readonly Status: string;
  readonly Type?: string;
  readonly KeyAlgorithm?: string;
  readonly NotAfter?: string;
  readonly InUseBy?: readonly string[];
  readonly RenewalEligibility?: string;
  readonly RenewalStatus?: string;
}

export interface AcmEstateStub {
  readonly endpoint: string;
  /** Every call: `STS.AssumeRole <role>` or `<Action> <account> <region>`. */
  readonly calls: string[];
  readonly deniedRoles: Set<string>;
  throttleNext: number;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_KEY_TYPES = new Set(['RSA_1024', 'RSA_2048']);

const accountOfArn = (arn: string) => arn.split(':')[4] ?? '';
const regionOfArn = (arn: string) => arn.split(':')[3] ?? '';
const epoch = (iso: string | undefined) => (iso === undefined ? undefined : Math.floor(Date.parse(iso) / 1000));

function describe(certificate: StubCertificate) {
  const names = [...new Set([certificate.DomainName, ...(certificate.SubjectAlternativeNames ?? [])])];
  return {
    CertificateArn: certificate.CertificateArn,
    DomainName: certificate.DomainName,
    SubjectAlternativeNames: names,
    DomainValidationOptions: names.map((name) => ({
      DomainName: name,
      ValidationDomain: name.replace(/^(\*|www)\./, ''),
      ValidationStatus: certificate.Status === 'ISSUED' ? 'SUCCESS' : 'PENDING_VALIDATION',
      ValidationMethod: certificate.ValidationMethod,
      ...(certificate.ValidationMethod === 'DNS'
        ? {
            ResourceRecord: {
              Name: `_${randomUUID().replaceAll('-', '').slice(0, 32)}.${name.replace(/^\*\./, '')}.`,
              Type: 'CNAME',
              Value: `_${randomUUID().replaceAll('-', '').slice(0, 32)}.xlfgrmvvlj.acm-validations.aws.`,
            },
          }
        : {
            ValidationEmails: ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'].map(
              (box) => `${box}@${name.replace(/^(\*|www)\./, '')}`,
            ),
          }),
    })),
    Status: certificate.Status,
    Type: certificate.Type ?? 'AMAZON_ISSUED',
    KeyAlgorithm: certificate.KeyAlgorithm ?? 'RSA_2048',
    NotAfter: epoch(certificate.NotAfter),
    InUseBy: certificate.InUseBy ?? [],
    RenewalEligibility:
      certificate.RenewalEligibility ?? ((certificate.InUseBy ?? []).length > 0 ? 'ELIGIBLE' : 'INELIGIBLE'),
    ...(certificate.RenewalStatus
      ? { RenewalSummary: { RenewalStatus: certificate.RenewalStatus, UpdatedAt: epoch(new Date().toISOString()) } }
      : {}),
  };
}

function summary(certificate: StubCertificate) {
  const described = describe(certificate);
  return {
    CertificateArn: described.CertificateArn,
    DomainName: described.DomainName,
    SubjectAlternativeNameSummaries: described.SubjectAlternativeNames,
    HasAdditionalSubjectAlternativeNames: false,
    Status: described.Status,
    Type: described.Type,
    KeyAlgorithm: described.KeyAlgorithm,
    InUse: described.InUseBy.length > 0,
    RenewalEligibility: described.RenewalEligibility,
    NotAfter: described.NotAfter,
  };
}

export async function startAcmEstateStub(
  certificates: readonly StubCertificate[],
  options: { readonly pageSize?: number; readonly deniedRoles?: readonly string[] } = {},
): Promise<AcmEstateStub> {
  const pageSize = options.pageSize ?? 2;
  const state = {
    calls: [] as string[],
    deniedRoles: new Set(options.deniedRoles ?? []),
    throttleNext: 0,
  };

  const xml = (response: ServerResponse, status: number, body: string) => {
    response.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  };

  function assumeRole(form: URLSearchParams, response: ServerResponse): void {
    const role = form.get('RoleArn') ?? '';
    state.calls.push(`STS.AssumeRole ${role}`);
    if (state.deniedRoles.has(role) || !/^arn:aws:iam::\d{12}:role\//.test(role)) {
      xml(
        response,
        403,
        `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::000000000000:user/local is not authorized to perform: sts:AssumeRole on resource: ${role}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
      return;
    }
    const session = form.get('RoleSessionName') ?? 'session';
    xml(
      response,
      200,
      '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>' +
        `<AccessKeyId>ASIA${accountOfArn(role)}STUB</AccessKeyId><SecretAccessKey>stub-secret</SecretAccessKey>` +
        `<SessionToken>stub-token</SessionToken><Expiration>${new Date(Date.now() + 900_000).toISOString()}</Expiration>` +
        `</Credentials><AssumedRoleUser><Arn>arn:aws:sts::${accountOfArn(role)}:assumed-role/${role.split('/').pop()}/${session}</Arn>` +
        `<AssumedRoleId>AROASTUB:${session}</AssumedRoleId></AssumedRoleUser></AssumeRoleResult>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request, MAX_BODY_BYTES);
    if (body === null) return refuseJson(response, 'ValidationException', 'request body too large');
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target === '') {
      const form = new URLSearchParams(body);
      if (form.get('Action') === 'AssumeRole') return assumeRole(form, response);
      return xml(response, 400, '<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>');
    }
    // Credential=<key>/<date>/<region>/acm/aws4_request: the key names the account (see assumeRole).
    const scope = /Credential=ASIA(\d{12})STUB\/\d{8}\/([a-z0-9-]+)\/acm\//.exec(String(request.headers.authorization));
    const action = target.replace('CertificateManager.', '');
    const account = scope?.[1] ?? '';
    const region = scope?.[2] ?? '';
    state.calls.push(`${action} ${account || '-'} ${region || '-'}`);
    if (scope === null)
      return refuseJson(
        response,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    if (state.throttleNext > 0) {
      state.throttleNext -= 1;
      return refuseJson(response, 'ThrottlingException', 'Rate exceeded');
    }
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body || '{}') as Record<string, unknown>;
    } catch {
      return refuseJson(response, 'SerializationException', 'the request body is not JSON');
    }
    const here = certificates.filter(
      (c) => accountOfArn(c.CertificateArn) === account && regionOfArn(c.CertificateArn) === region,
    );
    if (action === 'ListCertificates') {
      const keyTypes = (input.Includes as { keyTypes?: string[] } | undefined)?.keyTypes;
      const wanted = keyTypes ? new Set(keyTypes) : DEFAULT_KEY_TYPES;
      const listed = here.filter((c) => wanted.has(c.KeyAlgorithm ?? 'RSA_2048'));
      const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
      const max = typeof input.MaxItems === 'number' ? input.MaxItems : pageSize;
      const end = start + max;
      return answerJson(response, 200, {
        CertificateSummaryList: listed.slice(start, end).map(summary),
        ...(end < listed.length ? { NextToken: String(end) } : {}),
      });
    }
    if (action === 'DescribeCertificate') {
      const found = here.find((c) => c.CertificateArn === input.CertificateArn);
      if (found === undefined) {
        return refuseJson(
          response,
          'ResourceNotFoundException',
          `Could not find certificate ${String(input.CertificateArn)}.`,
        );
      }
      return answerJson(response, 200, { Certificate: describe(found) });
    }
    return refuseJson(
      response,
      'UnknownOperationException',
      `the stub answers ListCertificates and DescribeCertificate only, not ${action}`,
    );
  }

  const server = await startStubServer(handle, 'InternalFailure');
  return Object.assign(state, {
    endpoint: server.endpoint,
    stop: server.stop,
  });
}
