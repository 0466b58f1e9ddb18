/**
 * Custom resource `Custom::SesActiveReceiptRuleSet`: makes our receipt rule set the active one when that is safe,
 * and deactivates it on delete only while it is still ours. The decision is `decideActivation` (handlers/core).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { decideActivation } from '../core/rule-set-activation.js';
import type { CustomResourceAnswer, ReceiptRuleSets, Respond } from '../ports/rule-set-activation.js';

export interface RuleSetActivationDeps {
  readonly ruleSets: ReceiptRuleSets;
  readonly respond: Respond;
  readonly region: string;
  readonly logger: Pick<Logger, 'info' | 'error'>;
}

interface ActivationProperties {
  readonly ruleSetName: string;
  readonly takeOver: boolean;
}

export function makeRuleSetActivation(deps: RuleSetActivationDeps) {
  return async (event: CloudFormationCustomResourceEvent): Promise<CustomResourceAnswer> => {
    const physicalResourceId =
      event.RequestType === 'Create' ? `active-receipt-rule-set:${event.LogicalResourceId}` : event.PhysicalResourceId;
    let answer: CustomResourceAnswer;
    try {
      const properties = readProperties(event.ResourceProperties);
      const previous = event.RequestType === 'Update' ? readProperties(event.OldResourceProperties) : undefined;
      const decision = decideActivation({
        request: event.RequestType,
        ourRuleSet: properties.ruleSetName,
        previousRuleSet: previous?.ruleSetName,
        activeRuleSet: await deps.ruleSets.active(),
        takeOver: properties.takeOver,
        region: deps.region,
      });
      deps.logger.info('receipt rule set decision', { request: event.RequestType, ...decision });
      if (decision.action === 'activate') await deps.ruleSets.activate(decision.ruleSet);
      if (decision.action === 'deactivate') await deps.ruleSets.activate(null);
      answer =
        decision.action === 'refuse'
          ? { status: 'FAILED', physicalResourceId, reason: decision.why }
          : { status: 'SUCCESS', physicalResourceId, reason: decision.why, data: { Action: decision.action } };
    } catch (error) {
      deps.logger.error('receipt rule set activation failed', { error });
      answer = { status: 'FAILED', physicalResourceId, reason: `receipt rule set activation failed: ${String(error)}` };
    }
    await deps.respond(event, answer);
    return answer;
  };
}

function readProperties(properties: Record<string, unknown>): ActivationProperties {
  const { RuleSetName: ruleSetName, TakeOver: takeOver } = properties;
  if (typeof ruleSetName !== 'string' || ruleSetName === '') {
    throw new Error(`ResourceProperties.RuleSetName: ${JSON.stringify(ruleSetName)} is not a rule set name`);
  }
  // CloudFormation passes every property as a string.
  if (takeOver !== 'true' && takeOver !== 'false' && typeof takeOver !== 'boolean') {
    throw new Error(`ResourceProperties.TakeOver: ${JSON.stringify(takeOver)} is not "true" or "false"`);
  }
  return { ruleSetName, takeOver: takeOver === true || takeOver === 'true' };
}
