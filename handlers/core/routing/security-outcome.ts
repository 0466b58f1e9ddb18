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
      subject: result.subject,
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
