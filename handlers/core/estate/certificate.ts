/**
 * One certificate of the estate as `acm-mail estate` reports it, read from ACM's DescribeCertificate answer (ACM API
 * Reference, CertificateDetail, DomainValidation, RenewalSummary), and the report's shape. Pure: the adapter hands in
 * ACM's answer as a plain object.
 */

/** What ACM's `CertificateDetail` holds that the estate uses (dates as the SDK gives them, or ISO strings). */
export interface AcmCertificateDetail {
  readonly CertificateArn?: string;
  readonly DomainName?: string;
  readonly SubjectAlternativeNames?: readonly string[];
  readonly DomainValidationOptions?: readonly {
    readonly DomainName?: string;
    readonly ValidationDomain?: string;
    readonly ValidationMethod?: string;
    readonly ValidationStatus?: string;
  }[];
  readonly Status?: string;
  readonly Type?: string;
  readonly NotAfter?: Date | string;
  readonly InUseBy?: readonly string[];
  readonly RenewalEligibility?: string;
  readonly RenewalSummary?: { readonly RenewalStatus?: string };
}

/** How one name of the certificate is validated. */
export interface NameValidation {
  readonly name: string;
  /** `EMAIL`, `DNS`, `HTTP`, or null when ACM does not say (imported and private certificates). */
  readonly method: string | null;
  /** Where ACM mails for an `EMAIL` name (the name itself or a superdomain chosen at request time). */
  readonly validationDomain: string | null;
}

/** When our pipeline received approval mail for the certificate (from the state table's requests). */
export interface SeenMail {
  /** How many approval windows (requests) were opened for it. */
  readonly requests: number;
  readonly firstReceivedAt: string;
  readonly lastReceivedAt: string;
}

export interface EstateCertificate {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly arn: string;
  readonly domain: string;
  /** Every name on the certificate, the domain first (ACM lists it among the alternative names too). */
  readonly names: readonly string[];
  readonly validations: readonly NameValidation[];
  readonly status: string;
  /** AMAZON_ISSUED, IMPORTED or PRIVATE. */
  readonly type: string;
  /** ISO 8601, or null (a certificate not yet issued). */
  readonly notAfter: string | null;
  /** The resources that use it (ARNs), as ACM lists them. */
  readonly inUseBy: readonly string[];
  readonly renewalEligibility: string | null;
  readonly renewalStatus: string | null;
  readonly seenMail: SeenMail | null;
}

/** Why an account and region could not be listed; the others are listed all the same. */
export interface UnlistedScope {
  readonly accountId: string;
  readonly accountName: string;
  /** Null when the whole account failed (its role could not be assumed, or it has none). */
  readonly region: string | null;
  readonly reason: string;
}

export interface EstateReport {
  /** ISO 8601: when the listing started. */
  readonly listedAt: string;
  readonly regions: readonly string[];
  readonly accountsListed: number;
  readonly certificates: readonly EstateCertificate[];
  readonly unlisted: readonly UnlistedScope[];
  /** Accounts with no status role configured: not listed, by configuration (not a failure). */
  readonly withoutRole: readonly { readonly accountId: string; readonly accountName: string }[];
  /** Why `seenMail` is unknown for every certificate (the state table not read); null when it was read. */
  readonly mailHistoryNote: string | null;
}

const isoOf = (value: Date | string | undefined): string | null => {
  if (value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

export function estateCertificateOf(
  detail: AcmCertificateDetail,
  where: { readonly accountId: string; readonly accountName: string; readonly region: string },
  seenMail: SeenMail | null = null,
): EstateCertificate {
  const domain = detail.DomainName ?? '';
  const names = [...new Set([domain, ...(detail.SubjectAlternativeNames ?? [])].filter((name) => name !== ''))];
  const options = new Map((detail.DomainValidationOptions ?? []).map((option) => [option.DomainName, option]));
  return {
    ...where,
    arn: detail.CertificateArn ?? '',
    domain,
    names,
    validations: names.map((name) => ({
      name,
      method: options.get(name)?.ValidationMethod ?? null,
      validationDomain: options.get(name)?.ValidationDomain ?? null,
    })),
    status: detail.Status ?? 'UNKNOWN',
    type: detail.Type ?? 'UNKNOWN',
    notAfter: isoOf(detail.NotAfter),
    inUseBy: detail.InUseBy ?? [],
    renewalEligibility: detail.RenewalEligibility ?? null,
    renewalStatus: detail.RenewalSummary?.RenewalStatus ?? null,
    seenMail,
  };
}

/** A certificate whose renewal depends on someone approving mail: at least one name validated by email. */
export function isEmailValidated(certificate: Pick<EstateCertificate, 'validations'>): boolean {
  return certificate.validations.some((validation) => validation.method === 'EMAIL');
}

/**
 * The kinds of resource that use the certificate, from the ARNs in `InUseBy` (service and resource type, e.g.
 * `elasticloadbalancing:loadbalancer`, `cloudfront:distribution`), each once, in order of first use.
 */
export function inUseTypes(inUseBy: readonly string[]): string[] {
  const types = inUseBy.map((arn) => {
    const [, , service = '', , , resource = ''] = arn.split(':');
    const type = resource.split('/')[0] ?? '';
    return type === '' ? service : `${service}:${type}`;
  });
  return [...new Set(types)];
}
