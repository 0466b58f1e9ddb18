/** Turns the values as the mail writes them into the forms the rest of the product keys on. */

/** A well-formed AWS region id: `us-east-1`, `ap-southeast-2`, `us-gov-west-1`, `cn-north-1`, `eusc-de-east-1`. */
export const REGION_ID = /^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CERTIFICATE_ARN = /^arn:(aws(?:-cn|-us-gov|-eusc)?):acm:([a-z0-9-]+):(\d{12}):certificate\/([0-9a-f-]{36})$/i;

export function isRegionId(value: string): boolean {
  return REGION_ID.test(value);
}

/** The partition a region belongs to, as ARNs write it. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/** `1234-5678-9012` (before Nov 2020) or `123456789012` to 12 digits; null for anything else. */
export function normaliseAccountId(value: string): string | null {
  return /^\d{4}-\d{4}-\d{4}$/.test(value) || /^\d{12}$/.test(value) ? value.replaceAll('-', '') : null;
}

export type CertificateIdentifier =
  | { readonly form: 'uuid'; readonly certificateId: string }
  | {
      readonly form: 'arn';
      readonly certificateId: string;
      readonly arn: string;
      readonly partition: string;
      readonly region: string;
      readonly accountId: string;
    };

/** The identifier line holds a bare UUID (before Nov 2020) or the whole certificate ARN. */
export function parseCertificateIdentifier(value: string): CertificateIdentifier | null {
  if (UUID.test(value)) return { form: 'uuid', certificateId: value.toLowerCase() };
  const arn = CERTIFICATE_ARN.exec(value);
  if (!arn) return null;
  const [, partition = '', region = '', accountId = '', uuid = ''] = arn;
  if (!UUID.test(uuid) || !isRegionId(region.toLowerCase())) return null;
  return {
    form: 'arn',
    certificateId: uuid.toLowerCase(),
    arn: value,
    partition: partition.toLowerCase(),
    region: region.toLowerCase(),
    accountId,
  };
}

export function certificateArn(region: string, accountId: string, certificateId: string): string {
  return `arn:${partitionOf(region)}:acm:${region}:${accountId}:certificate/${certificateId}`;
}

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The `Domain:` value lower-cased and checked as a DNS name: letters, digits and hyphens, at least two labels,
 * 253 characters at most; a leading `*.` is kept, and so is punycode (`xn--...`) exactly as written.
 */
export function normaliseDomain(value: string): string | null {
  const domain = value.toLowerCase().replace(/\.$/, '');
  const name = domain.startsWith('*.') ? domain.slice(2) : domain;
  const labels = name.split('.');
  if (name.length > 253 || labels.length < 2 || !labels.every((label) => DNS_LABEL.test(label))) return null;
  if (/^\d+$/.test(labels.at(-1) ?? '')) return null; // an IP address is not a domain
  return domain;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** What AWS writes in its notices (samples 11, 12, 14): `Nov 14, 2024 at 23:59:59 UTC`. */
const AWS_DATE = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4})(?:,? at|,)? (\d{1,2}):(\d{2})(?::(\d{2}))? (?:UTC|GMT)$/;
const RFC2822_DATE =
  /^(?:[A-Za-z]{3}, )?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|UT|UTC|GMT|Z)(?: \([^)]*\))?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** An expiry as an ISO 8601 UTC timestamp, or null when the value is not a date AWS would write. */
export function parseExpiry(value: string): string | null {
  const text = value.trim();
  const aws = AWS_DATE.exec(text);
  if (aws) {
    const [, month = '', day = '', year = '', hour = '', minute = '', second = '0'] = aws;
    const monthIndex = MONTHS.indexOf(month.toLowerCase());
    const parts = [Number(year), monthIndex, Number(day), Number(hour), Number(minute), Number(second)] as const;
    const time = Date.UTC(...parts);
    const date = new Date(time);
    // Date.UTC rolls "Feb 30" into March: a date that does not round-trip is not a date.
    const valid =
      monthIndex >= 0 && date.getUTCMonth() === monthIndex && date.getUTCDate() === parts[2] && parts[3] < 24;
    return valid ? date.toISOString() : null;
  }
  if (RFC2822_DATE.test(text) || ISO_DATE.test(text)) {
    const time = Date.parse(text.replace(/ \([^)]*\)$/, '').replace(/ UT$/, ' UTC'));
    return Number.isNaN(time) ? null : new Date(time).toISOString();
  }
  return null;
}
