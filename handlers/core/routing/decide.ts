/**
 * The router's decision for one parsed mail, before anything is claimed or sent. The trust verdict is decided first:
 * a suspicious mail is `suspicious` whatever account it names; `foreign-account` is for trusted or unverified mail
 * naming an account that is not ours; only our accounts' requests reach an owner.
 */
import type { Configuration, Owner } from '../configuration/index.js';
import type { AcmMailResult, ApprovalRequest, Reason } from '../types.js';
import { routeToOwner } from './owner-routing.js';

export interface MailFacts {
  /** The From address, lower case, or null. */
  readonly from: string | null;
  /** The `Auto-Submitted` header field's value, or null. */
  readonly autoSubmitted: string | null;
}

export type LoopReason = 'from-our-sender' | 'auto-submitted';

export type Decision =
  | { readonly outcome: 'not-acm'; readonly reasons: readonly Reason[]; readonly loop: LoopReason | null }
  | { readonly outcome: 'unparseable'; readonly reasons: readonly Reason[] }
  | { readonly outcome: 'suspicious'; readonly reasons: readonly Reason[]; readonly approval: ApprovalRequest | null }
  | {
      readonly outcome: 'foreign-account';
      readonly approval: ApprovalRequest;
      /** False when the mail was only `unverified`: then even the account id is a claim, not a fact. */
      readonly authenticated: boolean;
      readonly reasons: readonly Reason[];
    }
  | {
      readonly outcome: 'route';
      readonly approval: ApprovalRequest;
      readonly owner: Owner;
      /** True only for `trusted` mail: the one case where the ticket may carry a clickable link. */
      readonly authenticated: boolean;
      readonly reasons: readonly Reason[];
    };

export function decideMail(
  result: AcmMailResult,
  facts: MailFacts,
  config: Pick<Configuration, 'sender' | 'accounts' | 'routing' | 'owners' | 'fallbackOwner'>,
): Decision {
  const trustedAcm = result.kind === 'acm-approval' && result.trust === 'trusted';
  // Loop guard. Our own notifications must never come back in. `Auto-Submitted` is honoured for everything but
  // ACM's own authenticated mail: whether ACM marks its mail auto-generated is not documented, and dropping it
  // would lose real approval requests.
  if (facts.from !== null && facts.from === config.sender.toLowerCase()) {
    return { outcome: 'not-acm', reasons: result.reasons, loop: 'from-our-sender' };
  }
  if (!trustedAcm && facts.autoSubmitted !== null && facts.autoSubmitted.trim().toLowerCase() !== 'no') {
    return { outcome: 'not-acm', reasons: result.reasons, loop: 'auto-submitted' };
  }
  if (result.kind === 'not-acm') return { outcome: 'not-acm', reasons: result.reasons, loop: null };
  if (result.trust === 'suspicious') {
    // An ACM template whose required fields could not be read is its own outcome; any other failed check is suspicious.
    return result.approval === null && result.reasons.every((reason) => /^(missing|invalid)-/.test(reason))
      ? { outcome: 'unparseable', reasons: result.reasons }
      : { outcome: 'suspicious', reasons: result.reasons, approval: result.approval };
  }
  const approval = result.approval;
  if (approval === null) return { outcome: 'unparseable', reasons: result.reasons };
  const authenticated = result.trust === 'trusted';
  if (!config.accounts.some((account) => account.id === approval.accountId)) {
    return { outcome: 'foreign-account', approval, authenticated, reasons: result.reasons };
  }
  const { owner } = routeToOwner(approval, config);
  return { outcome: 'route', approval, owner, authenticated, reasons: result.reasons };
}
