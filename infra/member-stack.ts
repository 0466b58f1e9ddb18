/**
 * The member-account stack (`<stackName>-member`): ACM's events forwarded to the central bus, and the read-only ACM
 * status role. Environment-agnostic: one template for every member account, by `cdk deploy` with each account's
 * credentials or as a CloudFormation StackSet (README, "ACM events from every account"). No assets, so the
 * synthesized template is all a StackSet needs.
 */
import { Aws, CfnCondition, CfnParameter, Fn, LegacyStackSynthesizer, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ACM_EVENT_TYPES } from '../handlers/core/acm-events/acm-event.js';
import { type Configuration, eventBusName } from '../handlers/core/configuration/index.js';
import { STATUS_ROLE_ACTIONS } from '../handlers/core/deployment-contract.js';
import { AcmMemberAccount } from './constructs/acm-member-account.js';

export interface AcmMemberAccountStackProps extends Omit<StackProps, 'env' | 'stackName'> {
  readonly configuration: Configuration;
}

/** The member stack's name. */
export const memberStackName = (configuration: Pick<Configuration, 'stackName'>) => `${configuration.stackName}-member`;

/** The status role's fixed name in every member account: `accounts[].statusRoleArn` is predictable from it. */
export const statusRoleName = (configuration: Pick<Configuration, 'stackName'>) =>
  `${configuration.stackName}-acm-status`;

/** The parameter that says whether this region of the account creates the (global) status role. */
export const STATUS_ROLE_PARAMETER = 'CreateStatusRole';

/** The parameter that names the central account when the configuration has no `account`. */
export const CENTRAL_ACCOUNT_PARAMETER = 'CentralAccount';

export class AcmMemberAccountStack extends Stack {
  readonly member: AcmMemberAccount;

  constructor(scope: Construct, id: string, props: AcmMemberAccountStackProps) {
    const { configuration, ...stackProps } = props;
    super(scope, id, {
      ...stackProps,
      stackName: memberStackName(configuration),
      description:
        "Forwards ACM's certificate events to the central ACM validation mail bus; read-only ACM status role",
      // The StackSet or `cdk deploy` gives the account and region: no env, one template for all.
      // No bootstrap in member accounts: the template has no assets and is deployed inline with the caller's
      // credentials, and it reads no bootstrap version parameter (which a StackSet's target accounts lack).
      synthesizer: new LegacyStackSynthesizer(),
    });
    const createStatusRole = new CfnParameter(this, STATUS_ROLE_PARAMETER, {
      type: 'String',
      allowedValues: ['true', 'false'],
      default: 'true',
      description:
        'IAM roles are global: "true" in one region of each account (the central region), "false" in the others',
    });
    const statusRoleCondition = new CfnCondition(this, 'StatusRoleWanted', {
      expression: Fn.conditionEquals(createStatusRole.valueAsString, 'true'),
    });
    const stack = configuration.stackName;
    // The central account from the configuration; a configuration without `account` leaves it to a parameter.
    const centralAccount =
      configuration.account ??
      new CfnParameter(this, CENTRAL_ACCOUNT_PARAMETER, {
        type: 'String',
        allowedPattern: '^\\d{12}$',
        description: 'The account of the central ACM validation mail stack (its event bus and functions)',
      }).valueAsString;
    this.member = new AcmMemberAccount(this, 'Member', {
      centralEventBusArn: `arn:${Aws.PARTITION}:events:${configuration.region}:${centralAccount}:event-bus/${eventBusName(configuration)}`,
      detailTypes: Object.values(ACM_EVENT_TYPES),
      statusRoleName: statusRoleName(configuration),
      statusRoleActions: STATUS_ROLE_ACTIONS,
      centralAccount,
      // The central stack's function roles are named `<stackName>-Pipeline...` by CloudFormation.
      trustedRoleArnPattern: `arn:${Aws.PARTITION}:iam::${centralAccount}:role/${stack}-Pipeline*`,
      // Operators' roles for `acm-mail estate` (estate.readerRoleArns).
      readerRoleArns: configuration.estate.readerRoleArns,
      statusRoleCondition,
    });
    for (const [key, value] of Object.entries(configuration.tags)) Tags.of(this).add(key, value);
  }
}
