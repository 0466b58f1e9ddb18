/**
 * What the router does with mail it must not route: which security alert it raises, under which identity (so that
 * five copies raise one alert), and what it records for the digest's security summary.
 */
import type { SecurityEventFacts } from '../state.js';
import type { AcmMailResult, ApprovalRequest } from '../types.js';
import {
  type AlertContext,
  renderForeignAccountAlert,
  renderSuspiciousAlert,
  renderUnparseableAlert,
} from './alerts.js';
import type { Decision } from './decide.js';
import { presentMailText } from './defang.js';
import type { RenderedMail } from './presentation.js';
import { requestKey } from './request-key.js';

export type SecurityDecision = Extract<Decision, { outcome: 'unparseable' | 'suspicious' | 'foreign-account' }>;
export type SecurityAlertKind = SecurityDecision['outcome'];

export interface SecurityAlert {
  readonly kind: SecurityAlertKind;
  /** Who may send it: the first message to claim this identity. */
  readonly identity: string;
  readonly mail: RenderedMail;
  /** What the alerts topic's message carries beside the subject (no link, ever). */
  readonly details: Readonly<Record<string, unknown>>;
  /**
   * Sent only within the hourly budget of forgery alerts (`FORGERY_ALERTS_PER_HOUR`): an alert anyone can raise
   * per message with one cheap mail, a junk `X-ACM-Mail-Probe` field or a header block past our limit.
   * @default false - always sent (the first copy of its identity)
   */
  readonly budgeted?: boolean;
}

/**
 * How many budgeted alerts (`SecurityAlert.budgeted`) are mailed and published per hour. Beyond it such a mail is
 * still `suspicious`: quarantined, recorded and counted in `SuspiciousMail` (whose alarm fires), but not mailed to the
 * security contact nor published: a flood of them must not spend the SES sending quota ticket mail needs. 20 is far
 * above what a real incident sends and far below SES's quota.
 */
export const FORGERY_ALERTS_PER_HOUR = 20;

/** The state table's budget bucket of forgery alerts for the hour of `now` (UTC). */
export function forgeryAlertBucket(now: Date): string {
  return `forgery-alert#${now.toISOString().slice(0, 13)}`;
}

/** What the state table records of the outcome. */
export interface SecurityRecord {
  readonly requestKey: string | null;
  readonly detail: string | null;
  readonly security: SecurityEventFacts;
}

export function isSecurityDecision(decision: Decision): decision is SecurityDecision {
  return (
    decision.outcome === 'unparseable' || decision.outcome === 'suspicious' || decision.outcome === 'foreign-account'
  );
}

export function securityAlertFor(
  decision: SecurityDecision,
  result: AcmMailResult,
  context: AlertContext,
): SecurityAlert {
  switch (decision.outcome) {
    case 'unparseable':
      return {
        kind: 'unparseable',
        identity: `message#${context.messageId}`,
        mail: renderUnparseableAlert(decision.reasons, result.subject, context),
        details: { reasons: decision.reasons },
      };
    case 'suspicious':
      return {
        kind: 'suspicious',
        identity: decision.approval ? `suspicious#${requestKey(decision.approval)}` : `message#${context.messageId}`,
        mail: renderSuspiciousAlert(decision.reasons, decision.approval, result.subject, context),
        details: { reasons: decision.reasons, ...approvalFacts(decision.approval) },
        // A header block past our limit, with no request to dedupe on, is one alert per message: budgeted.
        budgeted: decision.approval === null && decision.reasons.includes('header-block-cut'),
      };
    case 'foreign-account':
      return {
        kind: 'foreign-account',
        // Claimed per authentication: an unverified copy (anyone can write one, "safe to ignore" in it) must never
        // use up the alert ACM's own mail for the same request raises.
        identity: `foreign#${requestKey(decision.approval)}#${decision.authenticated ? 'authenticated' : 'unverified'}`,
        mail: renderForeignAccountAlert(decision.approval, decision.authenticated, context),
        details: { ...approvalFacts(decision.approval), authenticated: decision.authenticated },
      };
  }
}

export function securityRecordFor(decision: SecurityDecision, result: AcmMailResult): SecurityRecord {
  const approval = decision.outcome === 'unparseable' ? null : decision.approval;
  const authenticated = decision.outcome === 'foreign-account' && decision.authenticated;
  return {
    requestKey: approval ? requestKey(approval) : null,
    detail: decision.outcome === 'foreign-account' && !decision.authenticated ? 'unauthenticated' : null,
    security: {
      // As every output shows it: the table never holds an approval secret or a whole probe token from a subject.
      subject: presentMailText(result.subject),
      domain: approval?.domain ?? null,
      accountId: approval?.accountId ?? null,
      region: approval?.region ?? null,
      certificateArn: approval?.certificateArn ?? null,
      authenticated,
    },
  };
}

/** The alerts topic's message and its filter attributes. */
export function alertPublication(alert: SecurityAlert, messageId: string, rawMail: string) {
  return {
    message: {
      type: 'security-alert',
      alert: alert.kind,
      subject: alert.mail.subject,
      messageId,
      rawMail,
      ...alert.details,
    },
    attributes: { alert: alert.kind, outcome: alert.kind },
  };
}

function approvalFacts(approval: ApprovalRequest | null): Record<string, unknown> {
  if (approval === null) return {};
  return {
    domain: approval.domain,
    accountId: approval.accountId,
    region: approval.region,
    certificateArn: approval.certificateArn,
    renewal: approval.renewal,
  };
}
