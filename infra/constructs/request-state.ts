/**
 * The state table: one item per approval request (claimed with a conditional write, so five copies make one
 * request) and one per received message (its recorded outcome). The sparse index lists open requests by owner and
 * deadline, which is what the digest reads.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

import { REQUEST_TABLE_SCHEMA } from '../../handlers/core/deployment-contract.js';

export class RequestState extends Construct {
  readonly table: Table;
  readonly digestIndex: string = REQUEST_TABLE_SCHEMA.digestIndex;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: REQUEST_TABLE_SCHEMA.partitionKey, type: AttributeType.STRING },
      sortKey: { name: REQUEST_TABLE_SCHEMA.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: REQUEST_TABLE_SCHEMA.timeToLive,
      // Open requests and their history outlive a stack replacement; delete the table by hand when done.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: REQUEST_TABLE_SCHEMA.digestIndex,
      partitionKey: { name: REQUEST_TABLE_SCHEMA.digestOwner, type: AttributeType.STRING },
      sortKey: { name: REQUEST_TABLE_SCHEMA.digestAt, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }
}
