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
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** ACM began in 2016; nothing it writes expires after 2100. A year outside is a forgery or a misreading. */
const FIRST_YEAR = 2015;
const LAST_YEAR = 2100;

/** What AWS writes in its notices (samples 11, 12, 14): `Nov 14, 2024 at 23:59:59 UTC`. */
const AWS_DATE = /^([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})(?:,? at|,)? (\d{1,2}):(\d{2})(?::(\d{2}))? (?:UTC|GMT)$/;
/** RFC 2822 (`Thu, 12 Dec 2024 23:59:59 +0000`), four-digit years only: a two-digit year is never guessed at. */
const RFC2822_DATE =
  /^(?:([A-Za-z]{3}), )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? ([+-]\d{4}|UT|UTC|GMT|Z)(?: \([^()]{0,64}\))?$/;
/** ISO 8601: a date, or a date and time with its zone (`2024-12-13T01:59:59+02:00`). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

function monthIndex(name: string): number {
  const lower = name.toLowerCase();
  return lower.length === 3 ? MONTHS.indexOf(lower) : MONTH_NAMES.indexOf(lower);
}

/** `+0200`, `-05:30`, `Z`, `UT`, `GMT` to minutes east of UTC; null beyond the zones that exist (+-14 h). */
function offsetMinutes(zone: string): number | null {
  if (/^(?:Z|UTC?|GMT)$/i.test(zone)) return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return null;
  const [, sign, hours = '', minutes = ''] = match;
  if (Number(hours) > 14 || Number(minutes) > 59) return null;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

interface DateParts {
  readonly year: number;
  /** 0-11 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly offset: number | null;
  readonly weekday?: string;
}

/** Every component in range (no "Feb 30", no 24:00, no second 60), the weekday right when given; else null. */
function toIso(parts: DateParts): string | null {
  const { year, month, day, hour, minute, second, offset } = parts;
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 0 || month > 11 || offset === null) return null;
  const local = new Date(Date.UTC(year, month, day));
  if (local.getUTCMonth() !== month || local.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (parts.weekday !== undefined && WEEKDAYS[local.getUTCDay()] !== parts.weekday.toLowerCase()) return null;
  return new Date(Date.UTC(year, month, day, hour, minute, second) - offset * 60_000).toISOString();
}

/**
 * An expiry as an ISO 8601 UTC timestamp, or null when the value is not a date AWS would write: only AWS's own form,
 * RFC 2822 and ISO 8601, four-digit years from 2015 to 2100, every component in range.
 */
export function parseExpiry(value: string): string | null {
  const text = value.trim();
  const aws = AWS_DATE.exec(text);
  if (aws) {
    const [, month = '', day = '', year = '', hour = '', minute = '', second = '0'] = aws;
    return toIso({
      year: Number(year),
      month: monthIndex(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      offset: 0,
    });
  }
  const rfc = RFC2822_DATE.exec(text);
  if (rfc) {
    const [, weekday, day = '', month = '', year = '', hour = '', minute = '', second = '0', zone = ''] = rfc;
    return toIso({
      year: Number(year),
      month: MONTHS.indexOf(month.toLowerCase()),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      offset: offsetMinutes(zone),
      ...(weekday === undefined ? {} : { weekday }),
    });
  }
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [, year = '', month = '', day = '', hour = '0', minute = '0', second = '0', zone = 'Z'] = iso;
    return toIso({
      year: Number(year),
      month: Number(month) - 1,
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second),
      offset: offsetMinutes(zone),
    });
  }
  return null;
}
