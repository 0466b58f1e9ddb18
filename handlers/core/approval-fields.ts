/** From a template reading to an approval request, with every inconsistency named. */
import { type ApprovalLinkVerdict, isAcmLookAlike, validateApprovalLink } from './approval-link.js';
import {
  certificateArn,
  isRegionId,
  normaliseAccountId,
  normaliseDomain,
  parseCertificateIdentifier,
  parseExpiry,
  partitionOf,
} from './normalise.js';
import type { TemplateReading } from './template-reader.js';
import type { ApprovalRequest, Reason } from './types.js';

export interface ApprovalFindings {
  /** Null when a required field is missing or unreadable. */
  readonly approval: ApprovalRequest | null;
  readonly reasons: readonly Reason[];
}

type FieldName = 'domain' | 'account-id' | 'region' | 'certificate-identifier';
const MULTIPLE: Record<FieldName, Reason> = {
  domain: 'multiple-domain-lines',
  'account-id': 'multiple-account-lines',
  region: 'multiple-region-lines',
  'certificate-identifier': 'multiple-identifier-lines',
};

/** The first value of a field, noting a missing one, a repeated one, or one that does not normalise. */
function single<T>(
  values: readonly string[],
  field: FieldName,
  normalise: (value: string) => T | null,
  reasons: Reason[],
): T | null {
  const first = values[0];
  if (first === undefined) {
    reasons.push(`missing-${field}`);
    return null;
  }
  // ACM writes each field once; a second line is how a forged block hides behind a genuine one.
  if (values.length > 1) reasons.push(MULTIPLE[field]);
  const value = normalise(first);
  if (value === null) reasons.push(`invalid-${field}`);
  return value;
}

/** `judgeLink`: validateApprovalLink, or the one judge of a mail's parts (linkJudgeForOneMail). */
export function readApprovalFields(
  reading: TemplateReading,
  renewal: boolean,
  judgeLink: (raw: string) => ApprovalLinkVerdict = validateApprovalLink,
): ApprovalFindings {
  const reasons: Reason[] = [];
  const domain = single(reading.domains, 'domain', normaliseDomain, reasons);
  const accountId = single(reading.accountIds, 'account-id', normaliseAccountId, reasons);
  const region = single(reading.regions, 'region', (value) => (isRegionId(value) ? value : null), reasons);
  const identifier = single(
    reading.certificateIdentifiers,
    'certificate-identifier',
    parseCertificateIdentifier,
    reasons,
  );

  if (identifier?.form === 'arn') {
    if (accountId !== null && identifier.accountId !== accountId) reasons.push('account-mismatch');
    if (region !== null && identifier.region !== region) reasons.push('region-mismatch');
    if (identifier.partition !== partitionOf(identifier.region)) reasons.push('partition-mismatch');
  }

  let approvalUrl: string | null = null;
  if (reading.approvalLink === null) {
    reasons.push('missing-approval-link');
  } else {
    const link = judgeLink(reading.approvalLink);
    if (!link.ok) {
      reasons.push(link.reason);
    } else {
      approvalUrl = link.url;
      if (link.hostRegion !== null && region !== null && link.hostRegion !== region)
        reasons.push('link-region-mismatch');
    }
  }
  if (reading.approvalLinks.length > 1) reasons.push('multiple-approval-links');
  // Any other link imitating ACM's hosts (an image, a footer link, a form) is a phishing lure in an ACM mail.
  if (reading.links.some((link) => link !== reading.approvalLink && isAcmLookAlike(link))) {
    reasons.push('acm-look-alike-link');
  }

  let expiresAt: string | null = null;
  const expiration = reading.expirations[0];
  if (expiration !== undefined) {
    expiresAt = parseExpiry(expiration);
    // Written once by AWS; a second line is how a forged date hides behind a genuine one.
    if (expiresAt === null || reading.expirations.length > 1) reasons.push('invalid-expiration-date');
  }

  const approval =
    domain !== null && accountId !== null && region !== null && identifier !== null
      ? {
          domain,
          accountId,
          region,
          certificateId: identifier.certificateId,
          certificateArn:
            identifier.form === 'arn' ? identifier.arn : certificateArn(region, accountId, identifier.certificateId),
          approvalUrl,
          renewal,
          expiresAt,
        }
      : null;
  return { approval, reasons };
}
