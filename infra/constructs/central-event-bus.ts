/**
 * The central event bus: member accounts forward ACM's events to it, and the product puts its own events on it.
 * Its resource policy lets only the organisation (`aws:PrincipalOrgID`), or else only the listed accounts, put events.
 */
import { EventBus } from 'aws-cdk-lib/aws-events';
import { AccountPrincipal, AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface CentralEventBusProps {
  readonly eventBusName: string;
  /** Admit every account of this organisation. */
  readonly organizationId?: string | undefined;
  /** Without an organisation: admit these accounts (our listed ones). */
  readonly accountIds: readonly string[];
}

export class CentralEventBus extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: CentralEventBusProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: props.eventBusName });
    if (props.organizationId !== undefined) {
      this.bus.addToResourcePolicy(
        new PolicyStatement({
          sid: 'OrganizationPutsEvents',
          effect: Effect.ALLOW,
          principals: [new AnyPrincipal()],
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
          conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
        }),
      );
    } else {
      const accounts = [...new Set(props.accountIds)].sort();
      if (accounts.length > 0) {
        this.bus.addToResourcePolicy(
          new PolicyStatement({
            sid: 'ListedAccountsPutEvents',
            effect: Effect.ALLOW,
            principals: accounts.map((account) => new AccountPrincipal(account)),
            actions: ['events:PutEvents'],
            resources: [this.bus.eventBusArn],
          }),
        );
      }
    }
  }
}
