/**
 * The state table: one item per approval request (claimed with a conditional write, so five copies make one
 * request) and one per received message (its recorded outcome). The sparse index lists open requests by owner and
 * deadline, which is what the digest reads. Retained when the stack is deleted, unless the caller chooses otherwise.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

import { REQUEST_TABLE_SCHEMA } from '../../handlers/core/deployment-contract.js';

export interface RequestStateProps {
  /**
   * What happens to the table when it leaves the stack (deleted, or replaced by an update). It holds the open
   * requests and their history: the router needs them for one ticket per request, the digest reads them.
   * @default - RemovalPolicy.RETAIN: the table and its items are kept
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class RequestState extends Construct {
  readonly table: Table;
  readonly digestIndex: string = REQUEST_TABLE_SCHEMA.digestIndex;

  constructor(scope: Construct, id: string, props: RequestStateProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: REQUEST_TABLE_SCHEMA.partitionKey, type: AttributeType.STRING },
      sortKey: { name: REQUEST_TABLE_SCHEMA.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: REQUEST_TABLE_SCHEMA.timeToLive,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: REQUEST_TABLE_SCHEMA.digestIndex,
      partitionKey: { name: REQUEST_TABLE_SCHEMA.digestOwner, type: AttributeType.STRING },
      sortKey: { name: REQUEST_TABLE_SCHEMA.digestAt, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }
}
