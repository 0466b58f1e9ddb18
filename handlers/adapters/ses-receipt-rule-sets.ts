/** The SES (v1) receipt-rule-set API: which set is active, and changing it. */
import { DescribeActiveReceiptRuleSetCommand, SESClient, SetActiveReceiptRuleSetCommand } from '@aws-sdk/client-ses';

export interface ReceiptRuleSets {
  /** The active set's name, null when none is. */
  active(): Promise<string | null>;
  /** Makes `name` the active set; null deactivates whichever is active. */
  activate(name: string | null): Promise<void>;
}

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
