/**
 * The router's decision for one parsed mail, before anything is claimed or sent. The trust verdict is decided first:
 * a suspicious mail is `suspicious` whatever account it names; `foreign-account` is for trusted or unverified mail
 * naming an account that is not ours; only our accounts' requests reach an owner.
 */

import { type AccountDirectory, accountDirectory } from '../accounts.js';
import type { Configuration, Owner } from '../configuration/index.js';
import type { HeaderFacts } from '../header-facts.js';
import { claimsAcm } from '../trust.js';
import { type AcmMailResult, type ApprovalRequest, NOTE_REASONS, type Reason } from '../types.js';
import { routeToOwner } from './owner-routing.js';

/** What the header block says that the loop guard reads (header-facts.ts). */
export type MailFacts = Pick<HeaderFacts, 'from' | 'claimedFrom' | 'autoSubmitted' | 'bulk' | 'projectHeader'>;

const NOTES = new Set<Reason>(NOTE_REASONS);

export type LoopReason = 'from-our-sender' | 'our-project-header' | 'auto-submitted' | 'bulk';

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
  /** Which accounts are ours now. @default the configuration's list alone */
  ours: AccountDirectory = accountDirectory(config.accounts.list),
): Decision {
  // Loop guard: our own notifications and other machines' mail must never come back in as summaries. It only ever
  // quiets mail that is not ACM's template: any header on a mail carrying the template is the sender's to write
  // (an attacker's `Auto-Submitted` must not silence a foreign-account or suspicious alert), so that mail always
  // gets its full decision below.
  if (result.kind === 'not-acm') {
    // Mail that claims ACM's sender and fails a check is a forgery however it is dressed (a report content type,
    // padding past the size limit, broken MIME): it is alerted, never summarised or quieted.
    // So is mail whose header block was cut (`header-block-cut`): what we read of From, Auto-Submitted or List-Id is
    // not all it says (a probe field or a second From may follow unseen), so it is neither quieted nor summarised.
    if (
      result.trust === 'suspicious' &&
      (facts.claimedFrom.some(claimsAcm) || result.reasons.includes('header-block-cut'))
    ) {
      return { outcome: 'suspicious', reasons: result.reasons, approval: null };
    }
    const loop =
      facts.from !== null && facts.from === config.sender.toLowerCase()
        ? 'from-our-sender'
        : // Our ticket mail no longer says Auto-Submitted (ticket systems drop it): our own field says it is ours.
          facts.projectHeader
          ? 'our-project-header'
          : facts.autoSubmitted !== null && facts.autoSubmitted.trim().toLowerCase() !== 'no'
            ? 'auto-submitted'
            : facts.bulk
              ? 'bulk'
              : null;
    return { outcome: 'not-acm', reasons: result.reasons, loop };
  }
  if (result.trust === 'suspicious') {
    // An ACM template whose required fields could not be read is its own outcome; any other failed check is suspicious.
    const unreadable = (reason: Reason) => /^(missing|invalid)-/.test(reason) || NOTES.has(reason);
    return result.approval === null && result.reasons.every(unreadable)
      ? { outcome: 'unparseable', reasons: result.reasons }
      : { outcome: 'suspicious', reasons: result.reasons, approval: result.approval };
  }
  const approval = result.approval;
  if (approval === null) return { outcome: 'unparseable', reasons: result.reasons };
  const authenticated = result.trust === 'trusted';
  if (!ours.isOurs(approval.accountId)) {
    return { outcome: 'foreign-account', approval, authenticated, reasons: result.reasons };
  }
  const { owner } = routeToOwner(approval, config);
  return { outcome: 'route', approval, owner, authenticated, reasons: result.reasons };
}
