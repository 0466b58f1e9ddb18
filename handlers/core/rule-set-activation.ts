/**
 * Whether to change which SES receipt rule set is active. Only one set is active per account and region, and with
 * none active SES rejects all mail, so activating ours can silently stop another team's mail, and deactivating on
 * delete can stop a set that is no longer ours. CloudFormation cannot activate a set; our custom resource asks this.
 */

export type StackRequest = 'Create' | 'Update' | 'Delete';

export interface ActivationSituation {
  readonly request: StackRequest;
  /** Our rule set, as the stack now names it. */
  readonly ourRuleSet: string;
  /** Our rule set before an Update (it may have been renamed, and then the old one is still ours). */
  readonly previousRuleSet?: string;
  /** The active set in this account and region, null when none is. */
  readonly activeRuleSet: string | null;
  /** The configuration's explicit `ruleSet.takeOver`. */
  readonly takeOver: boolean;
  readonly region: string;
}

export type ActivationDecision =
  | { readonly action: 'activate'; readonly ruleSet: string; readonly why: string }
  | { readonly action: 'deactivate'; readonly why: string }
  | { readonly action: 'leave'; readonly why: string }
  | { readonly action: 'refuse'; readonly why: string };

export function decideActivation(situation: ActivationSituation): ActivationDecision {
  const { request, ourRuleSet, previousRuleSet, activeRuleSet, takeOver, region } = situation;
  const ours = (name: string | null) => name !== null && (name === ourRuleSet || name === previousRuleSet);

  if (request === 'Delete') {
    return ours(activeRuleSet)
      ? {
          action: 'deactivate',
          why: `"${activeRuleSet}" is ours and still active: deactivating it before it is deleted`,
        }
      : {
          action: 'leave',
          why:
            activeRuleSet === null
              ? 'no rule set is active: nothing to deactivate'
              : `"${activeRuleSet}" is active and not ours: leaving it active`,
        };
  }
  if (activeRuleSet === ourRuleSet) return { action: 'leave', why: `"${ourRuleSet}" is already active` };
  if (activeRuleSet === null || ours(activeRuleSet)) {
    return {
      action: 'activate',
      ruleSet: ourRuleSet,
      why: activeRuleSet === null ? 'no rule set was active' : `replacing our previous set "${activeRuleSet}"`,
    };
  }
  if (takeOver) {
    return {
      action: 'activate',
      ruleSet: ourRuleSet,
      why: `ruleSet.takeOver is true: "${activeRuleSet}" stops receiving mail in ${region}`,
    };
  }
  return {
    action: 'refuse',
    why:
      `SES receipt rule set "${activeRuleSet}" is active in ${region}; activating "${ourRuleSet}" would stop it ` +
      `receiving mail (only one set can be active). Add our rule to it instead: set ruleSet to ` +
      `{ "mode": "existing", "name": "${activeRuleSet}" } in the configuration. Or, if that set may stop, set ` +
      `ruleSet.takeOver to true.`,
  };
}
