/** What the rule-set activation custom resource needs: SES's receipt rule sets and CloudFormation's answer. */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

export interface ReceiptRuleSets {
  /** The active set's name, null when none is. */
  active(): Promise<string | null>;
  /** Makes `name` the active set; null deactivates whichever is active. */
  activate(name: string | null): Promise<void>;
}

export interface CustomResourceAnswer {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  /** Shown in the CloudFormation console and the deploy output; CloudFormation keeps up to 4 KB. */
  readonly reason: string;
  readonly data?: Record<string, string>;
}

export type Respond = (event: CloudFormationCustomResourceEvent, answer: CustomResourceAnswer) => Promise<void>;
