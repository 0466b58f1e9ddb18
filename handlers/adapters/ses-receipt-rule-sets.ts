/** The SES (v1) receipt-rule-set API: which set is active, and changing it. */
import { DescribeActiveReceiptRuleSetCommand, SESClient, SetActiveReceiptRuleSetCommand } from '@aws-sdk/client-ses';
import type { ReceiptRuleSets } from '../ports/rule-set-activation.js';

export function sesReceiptRuleSets(client: SESClient = new SESClient({})): ReceiptRuleSets {
  return {
    async active() {
      const answer = await client.send(new DescribeActiveReceiptRuleSetCommand({}));
      return answer.Metadata?.Name ?? null;
    },
    async activate(name) {
      // Without RuleSetName the call deactivates the active set (SES API Reference, SetActiveReceiptRuleSet).
      await client.send(new SetActiveReceiptRuleSetCommand(name === null ? {} : { RuleSetName: name }));
    },
  };
}
