/**
 * ACM's own events (source `aws.acm`), as member accounts forward them to the central bus, read into typed values.
 * Shapes from the ACM User Guide, "Amazon EventBridge support for ACM" (supported-events.html); one fixture per type
 * in fixtures/acm-events/. The event is untrusted input (anything that can put events on the bus can write it): a
 * field that is missing or of the wrong kind is a reason, never a crash, and no text is kept longer than a limit.
 */
import { partitionOf } from '../normalise.js';

/** The detail-types the member accounts forward and the events handler reads. */
export const ACM_EVENT_TYPES = {
  available: 'ACM Certificate Available',
  approachingExpiration: 'ACM Certificate Approaching Expiration',
  renewalActionRequired: 'ACM Certificate Renewal Action Required',
  expired: 'ACM Certificate Expired',
} as const;
export type AcmEventType = (typeof ACM_EVENT_TYPES)[keyof typeof ACM_EVENT_TYPES];

/** EventBridge's `source` of ACM's events. */
export const ACM_EVENT_SOURCE = 'aws.acm';

export type ValidationMethod = 'EMAIL' | 'DNS';

export interface AcmCertificateEvent {
  /** EventBridge's event id: the same on every delivery of one event, so the outcome is keyed by it. */
  readonly id: string;
  readonly type: AcmEventType;
  readonly accountId: string;
  readonly region: string;
  readonly time: string;
  readonly certificateArn: string;
  readonly commonName: string | null;
  readonly daysToExpiry: number | null;
  /** `CertificateExpirationDate` where the event has it (Available, Renewal Action Required, Expired). */
  readonly expiresAt: string | null;
  /** `DomainValidationMethod` where the event has it; Approaching Expiration has none. */
  readonly validationMethod: ValidationMethod | null;
  /** `CertificateType`: `AMAZON_ISSUED`, `PRIVATE` or `IMPORTED`, where the event has it. */
  readonly certificateType: string | null;
  /** Available: `ISSUANCE`, `RENEWAL`, `IMPORT` or `REIMPORT`. */
  readonly action: string | null;
  /** Renewal Action Required: why ACM needs someone (e.g. `PENDING_DOMAIN_VALIDATION`). */
  readonly renewalStatusReason: string | null;
}

export type AcmEventReading =
  | { readonly kind: 'event'; readonly event: AcmCertificateEvent }
  | { readonly kind: 'unreadable'; readonly id: string; readonly reasons: readonly string[] };

/** Longest text kept from an event field: a domain name is at most 253 characters, an ARN about 100. */
const MAX_FIELD_CHARS = 300;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d$/;
const CERTIFICATE_ARN =
  /^arn:(aws(?:-cn|-us-gov|-eusc)?):acm:([a-z]{2,4}(?:-[a-z]+)+-\d):(\d{12}):certificate\/[0-9a-f-]{36}$/;
/** ACM's renewal status reasons are upper-case words (`PENDING_DOMAIN_VALIDATION`); anything else is not shown. */
const RENEWAL_STATUS_REASON = /^[A-Z_]{1,64}$/;
/** Times an event may carry: anything outside would make a date no `toISOString` can write. */
const EARLIEST = Date.parse('1970-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59Z');
const KNOWN_TYPES = new Set<string>(Object.values(ACM_EVENT_TYPES));

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' && value.length <= MAX_FIELD_CHARS ? value : null;
const isoTime = (value: unknown): string | null => {
  const raw = text(value);
  if (raw === null) return null;
  const parsed = Date.parse(raw);
  return Number.isNaN(parsed) || parsed < EARLIEST || parsed > LATEST ? null : new Date(parsed).toISOString();
};

/** Reads one EventBridge event; anything that is not a readable ACM event of the four types is `unreadable`. */
export function readAcmEvent(raw: unknown): AcmEventReading {
  const event = record(raw);
  const detail = record(event.detail);
  const id = text(event.id) ?? '(no id)';
  const reasons: string[] = [];
  const need = <T>(name: string, value: T | null, shown: unknown): T | null => {
    if (value === null) reasons.push(`${name}: ${describe(shown)} is not valid`);
    return value;
  };
  need('id', text(event.id), event.id);
  if (event.source !== ACM_EVENT_SOURCE) reasons.push(`source: ${describe(event.source)} is not "${ACM_EVENT_SOURCE}"`);
  const type = need(
    'detail-type',
    KNOWN_TYPES.has(event['detail-type'] as string) ? (event['detail-type'] as AcmEventType) : null,
    event['detail-type'],
  );
  const accountId = need(
    'account',
    ACCOUNT_ID.test(String(event.account)) ? String(event.account) : null,
    event.account,
  );
  const region = need('region', REGION.test(String(event.region)) ? String(event.region) : null, event.region);
  const time = need('time', isoTime(event.time), event.time);
  const resources = Array.isArray(event.resources) ? event.resources : [];
  const arnMatch = CERTIFICATE_ARN.exec(typeof resources[0] === 'string' ? resources[0] : '');
  const certificateArn = need('resources[0]', arnMatch ? (resources[0] as string) : null, resources[0]);
  // The certificate is in the account and region that sent the event: anything else is a forwarded or forged event.
  if (arnMatch && accountId !== null && arnMatch[3] !== accountId) {
    reasons.push(`resources[0]: account ${arnMatch[3]} is not the event's account ${accountId}`);
  }
  if (arnMatch && region !== null && arnMatch[2] !== region) {
    reasons.push(`resources[0]: region ${arnMatch[2]} is not the event's region ${region}`);
  }
  // One certificate has one ARN: a partition that is not its region's names no certificate ACM sent us.
  if (arnMatch && arnMatch[1] !== partitionOf(arnMatch[2] ?? '')) {
    reasons.push(`resources[0]: partition ${arnMatch[1]} is not the partition of region ${arnMatch[2]}`);
  }
  if (reasons.length > 0 || type === null || accountId === null || region === null || time === null) {
    return { kind: 'unreadable', id, reasons };
  }
  const days = detail.DaysToExpiry;
  const method = detail.DomainValidationMethod;
  return {
    kind: 'event',
    event: {
      id,
      type,
      accountId,
      region,
      time,
      certificateArn: certificateArn as string,
      commonName: text(detail.CommonName),
      daysToExpiry: typeof days === 'number' && Number.isInteger(days) && days >= -3650 && days <= 3650 ? days : null,
      expiresAt: isoTime(detail.CertificateExpirationDate),
      validationMethod: method === 'EMAIL' || method === 'DNS' ? method : null,
      certificateType: text(detail.CertificateType),
      action: text(detail.Action),
      // Shown in the alert mail: only ACM's own vocabulary, never a sender's text.
      renewalStatusReason: RENEWAL_STATUS_REASON.test(String(detail.RenewalStatusReason))
        ? String(detail.RenewalStatusReason)
        : null,
    },
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const shown = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
