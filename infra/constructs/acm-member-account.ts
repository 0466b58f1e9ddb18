/**
 * What each member account needs (README, "ACM events from every account"): a rule on its default bus that forwards
 * ACM's four certificate events to the central bus, and, optionally, the read-only ACM status role the central
 * functions may assume. Kept free of the product's configuration types, so it can move into a construct library.
 */
import { Aws, type CfnCondition, Token, Validations } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import {
  AccountPrincipal,
  type CfnRole,
  Effect,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface AcmMemberAccountProps {
  /** The central bus's full ARN (region, account, name): the only bus the forwarding role may put events on. */
  readonly centralEventBusArn: string;
  /** ACM's detail-types to forward. */
  readonly detailTypes: readonly string[];
  /** The status role's name; the central configuration's `accounts[].statusRoleArn` names it. */
  readonly statusRoleName: string;
  /** What the status role may do (read-only ACM actions). */
  readonly statusRoleActions: readonly string[];
  /** The central account (or a parameter's token): only its principals may assume the status role. */
  readonly centralAccount: string;
  /** ARN pattern of the central functions' roles (`aws:PrincipalArn`): no other principal there may assume it. */
  readonly trustedRoleArnPattern: string;
  /**
   * Further central-account roles (ARNs or patterns) that may assume the status role: operators running
   * `acm-mail estate`.
   * @default - none
   */
  readonly readerRoleArns?: readonly string[];
  /**
   * Creates the status role only when this condition holds (IAM is global: one region of the account has it).
   * @default - always created
   */
  readonly statusRoleCondition?: CfnCondition;
}

export class AcmMemberAccount extends Construct {
  readonly forwardRule: Rule;
  /** The role EventBridge puts the events on the central bus with (cross-account bus targets need one). */
  readonly forwardRole: Role;
  readonly statusRole: Role;

  constructor(scope: Construct, id: string, props: AcmMemberAccountProps) {
    super(scope, id);
    if (props.detailTypes.length === 0) throw new Error('acm member account: detailTypes is empty');
    if (!Token.isUnresolved(props.centralAccount) && !/^\d{12}$/.test(props.centralAccount)) {
      throw new Error(`acm member account: centralAccount "${props.centralAccount}" is not a 12-digit account id`);
    }
    const centralBus = EventBus.fromEventBusArn(this, 'CentralBus', props.centralEventBusArn);
    // Only EventBridge, acting for this account's rules, may use it. Its one permission, events:PutEvents on exactly
    // the central bus, comes from the target. EventBridge User Guide, "Permissions for event buses": "We recommend
    // always using IAM roles when the target of a rule is an event bus"; with the role the central bus's policy sees
    // a principal of this account, so its `aws:PrincipalOrgID` condition holds for the organisation's accounts.
    this.forwardRole = new Role(this, 'ForwardRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      }),
      description: "Puts ACM's certificate events on the central ACM validation mail bus",
    });
    this.forwardRule = new Rule(this, 'ForwardAcmEvents', {
      description: "Forwards ACM's certificate events to the central ACM validation mail bus",
      eventPattern: { source: ['aws.acm'], detailType: [...props.detailTypes] },
      targets: [new EventBusTarget(centralBus, { role: this.forwardRole })],
    });

    this.statusRole = new Role(this, 'StatusRole', {
      roleName: props.statusRoleName,
      description: 'Read-only: lets the central ACM validation mail functions ask ACM about certificates',
      assumedBy: new AccountPrincipal(props.centralAccount).withConditions({
        ArnLike: {
          'aws:PrincipalArn':
            (props.readerRoleArns ?? []).length === 0
              ? props.trustedRoleArnPattern
              : [props.trustedRoleArnPattern, ...(props.readerRoleArns ?? [])],
        },
      }),
      inlinePolicies: {
        ReadCertificates: new PolicyDocument({ statements: statusStatements(props.statusRoleActions) }),
      },
    });
    const statements = statusStatements(props.statusRoleActions);
    if (statements.some((statement) => !statement.resources.includes('*'))) {
      Validations.of(this.statusRole).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:acm:*:<AWS::AccountId>:certificate/*]',
        reason:
          "Read-only ACM actions on this account's certificates: they are created after this stack, in any region, " +
          'and named by generated ids, so the account-wide certificate pattern is the narrowest resource there is.',
      });
    }
    if (statements.some((statement) => statement.resources.includes('*'))) {
      Validations.of(this.statusRole).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          "ACM's List actions have no resource type (Service Authorization Reference for AWS Certificate Manager): " +
          'the resource must be "*". They only list certificates; nothing is changed.',
      });
    }
    if (props.statusRoleCondition !== undefined) {
      (this.statusRole.node.defaultChild as CfnRole).cfnOptions.condition = props.statusRoleCondition;
    }
  }
}

/**
 * The status role's statements. ACM's `List*` actions have no resource type (Service Authorization Reference for
 * AWS Certificate Manager): `*` is the only resource they accept. Every other action names a certificate: the
 * account's certificates in any region, named by ids generated after this stack, are the narrowest resource.
 */
export function statusStatements(actions: readonly string[]): PolicyStatement[] {
  const listing = actions.filter((action) => action.startsWith('acm:List'));
  const onCertificates = actions.filter((action) => !action.startsWith('acm:List'));
  if (actions.some((action) => action.includes('*'))) {
    throw new Error(`acm member account: statusRoleActions ${JSON.stringify(actions)} holds a wildcard action`);
  }
  return [
    ...(onCertificates.length > 0
      ? [
          new PolicyStatement({
            effect: Effect.ALLOW,
            actions: onCertificates,
            resources: [`arn:${Aws.PARTITION}:acm:*:${Aws.ACCOUNT_ID}:certificate/*`],
          }),
        ]
      : []),
    ...(listing.length > 0 ? [new PolicyStatement({ effect: Effect.ALLOW, actions: listing, resources: ['*'] })] : []),
  ];
}
