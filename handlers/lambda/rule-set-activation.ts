/** Lambda entry of `Custom::SesActiveReceiptRuleSet`; the logic is in rule-set-activation/activation.ts. */
import { Logger } from '@aws-lambda-powertools/logger';
import { respondToCloudFormation } from '../adapters/cloudformation-response.js';
import { requiredEnvironment } from '../adapters/environment.js';
import { sesReceiptRuleSets } from '../adapters/ses-receipt-rule-sets.js';
import { makeRuleSetActivation } from '../rule-set-activation/activation.js';

export const handler = makeRuleSetActivation({
  ruleSets: sesReceiptRuleSets(),
  respond: respondToCloudFormation,
  region: requiredEnvironment('AWS_REGION'),
  logger: new Logger(),
});
