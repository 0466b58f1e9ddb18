/**
 * The mailbox canary (README, "The mailbox canary"): the probe key, the canary function with exactly the permissions
 * a round and its check need, the daily schedule, the group for the one-time checks, the role Scheduler invokes the
 * canary with, and one alarm per probed address.
 */
import { Duration, RemovalPolicy, Stack, TimeZone, Token, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  type ISchedule,
  type IScheduleTarget,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  type ScheduleTargetConfig,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { missingProbeRecipients } from '../../handlers/core/canary/alert-recipients.js';
import { probeTargets } from '../../handlers/core/canary/targets.js';
import type { Configuration } from '../../handlers/core/configuration/index.js';
import { CANARY_METRICS } from '../../handlers/core/metrics.js';
import type { CanaryEvent } from '../../handlers/ports/canary.js';
import { PipelineFunction } from './pipeline-function.js';

export interface MailboxCanaryProps {
  /** Validated; `canary.enabled` is the caller's to check (a disabled canary is not built at all). */
  readonly configuration: Configuration;
  /** The state table the router records arrivals in. */
  readonly table: ITable;
  /** Missing-probe alerts and the per-address alarms go here. */
  readonly alerts: ITopic;
  /** The topics' key: publishing to the encrypted alerts topic needs it. */
  readonly topicKey: IKey;
  readonly metricsNamespace: string;
}

/** The probe key's length: 64 letters and digits, about 380 bits, far more than HMAC-SHA256 needs. */
const PROBE_KEY_CHARACTERS = 64;

export class MailboxCanary extends Construct {
  /** The key probe tokens are signed with; the router reads it to verify them. */
  readonly probeKey: Secret;
  readonly canary: PipelineFunction;
  /** Runs a send round every day (`canary.schedule` in `canary.timeZone`). */
  readonly dailySchedule: Schedule;
  /** Where each round's one-time check schedule is created (and deletes itself after it ran). */
  readonly checkGroup: ScheduleGroup;
  /** Assumed by EventBridge Scheduler for the daily round and the checks; may invoke the canary and nothing else. */
  readonly schedulerRole: Role;
  /** One per probed address, by address: `ProbeArrived` below 1, or no data, for a day. */
  readonly arrivalAlarms: ReadonlyMap<string, Alarm>;

  constructor(scope: Construct, id: string, props: MailboxCanaryProps) {
    super(scope, id);
    const { configuration } = props;
    const targets = probeTargets(configuration);
    if (targets.length === 0) throw new Error('mailbox canary: the configuration has no address to probe');

    this.probeKey = new Secret(this, 'ProbeKey', {
      description: 'Signs and verifies the mailbox canary probe tokens (HMAC key)',
      generateSecretString: {
        passwordLength: PROBE_KEY_CHARACTERS,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    Validations.of(this.probeKey).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'The probe key only signs the daily test mails; a leaked key lets someone fake a probe arrival, which at ' +
        'worst hides a dark mailbox until the key is replaced. Rotating it would need the canary and router to ' +
        'accept two keys around each rotation for no gain worth that: replace it by hand (a new secret value) if ' +
        'it ever leaks.',
    });

    this.canary = new PipelineFunction(this, 'Function', {
      entry: 'handlers/lambda/canary.ts',
      description: 'Mails a signed probe to every watched ACM mailbox daily and alerts for each that does not arrive',
      serviceName: 'canary',
      configuration,
      memorySize: 512,
      timeout: Duration.minutes(5),
      // A retried round would be a second run mailing every address again; a failed check is retried by Scheduler.
      asyncInvocation: { retryAttempts: 0, maxEventAge: Duration.hours(1) },
    });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler invokes the ACM mailbox canary (daily round and one-time checks)',
    });
    // Exactly the unqualified function ARN, which the canary's check schedules name as their target.
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [this.canary.function.functionArn],
      }),
    );

    // Only spent or pending one-time checks live in it: nothing to keep when the stack goes.
    this.checkGroup = new ScheduleGroup(this, 'CheckGroup', { removalPolicy: RemovalPolicy.DESTROY });

    this.canary.readsProbeKeyFrom(this.probeKey);
    this.canary.recordsProbesIn(props.table);
    this.canary.schedulesChecksIn(this.checkGroup, this.schedulerRole);
    this.canary.publishesAlertsTo(props.alerts, props.topicKey);
    // Two separate permissions: probes only to the probed addresses, alerts only to their recipients.
    this.canary.sendsMailAs(
      configuration.sender,
      targets.map((target) => target.address),
    );
    const alertRecipients = [
      ...new Set(targets.flatMap((target) => missingProbeRecipients(target.domain, configuration))),
    ];
    this.canary.sendsMailAs(configuration.sender, alertRecipients);
    this.canary.emitsMetricsUnder(props.metricsNamespace);
    // cdk-nag names the finding by the resource as the template writes it: exactly this group's schedules.
    const stack = Stack.of(this);
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const schedules = `arn:<AWS::Partition>:scheduler:${region}:${account}:schedule/${this.checkGroup.scheduleGroupName}/*`;
    const schedulesAcknowledgement = `AwsSolutions::AwsSolutions-IAM5[Resource::${schedules}]`;
    const policy = this.canary.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      Validations.of(policy).acknowledge({
        id: schedulesAcknowledgement,
        reason:
          'scheduler:CreateSchedule on schedule/<check group>/*: each canary run creates one check schedule named ' +
          'after its run id, unknown at deploy time; the group is the narrowest resource, and only this group.',
      });
    }

    const round: CanaryEvent = { action: 'send-round', trigger: 'schedule' };
    this.dailySchedule = new Schedule(this, 'DailyRound', {
      description: 'Mails a signed probe to every watched ACM mailbox',
      schedule: ScheduleExpression.expression(
        configuration.canary.schedule,
        TimeZone.of(configuration.canary.timeZone ?? configuration.digest.timeZone),
      ),
      target: new InvokeCanary(this.canary.function, this.schedulerRole, ScheduleTargetInput.fromObject(round)),
    });

    const action = new SnsAction(props.alerts);
    const alarms = new Map<string, Alarm>();
    for (const target of targets) {
      const alarm = new Alarm(this, `Arrived ${target.address}`, {
        metric: new Metric({
          namespace: props.metricsNamespace,
          metricName: CANARY_METRICS.probeArrived,
          dimensionsMap: { [CANARY_METRICS.addressDimension]: target.address },
          // Any missing probe of the day: a second round (doctor --probe) that arrives must not hide one that did not.
          statistic: 'Minimum',
          period: Duration.days(1),
        }),
        alarmDescription:
          `No canary probe arrived at ${target.address} (${target.path}) in the last day, or the canary did not ` +
          'run: ACM approval mail to it may be lost. See the canary alert mail for what to check.',
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        // No data means the canary itself did not run or check: that is as dark as a missing probe.
        treatMissingData: TreatMissingData.BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      alarms.set(target.address, alarm);
    }
    this.arrivalAlarms = alarms;
  }
}

class InvokeCanary implements IScheduleTarget {
  constructor(
    private readonly fn: IFunction,
    private readonly role: Role,
    private readonly input: ScheduleTargetInput,
  ) {}

  bind(_schedule: ISchedule): ScheduleTargetConfig {
    // A round that failed is better skipped than sent twice: the per-address alarms report the missing day.
    return { arn: this.fn.functionArn, role: this.role, input: this.input, retryPolicy: { maximumRetryAttempts: 0 } };
  }
}
