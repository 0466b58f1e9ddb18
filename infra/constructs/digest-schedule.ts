/** Runs the digest function on the configured cron, in the configured time zone (EventBridge Scheduler). */
import { Stack, TimeZone } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  type ISchedule,
  type IScheduleTarget,
  Schedule,
  ScheduleExpression,
  type ScheduleTargetConfig,
} from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

export interface DigestScheduleProps {
  readonly digest: IFunction;
  /** `cron(minutes hours day-of-month month day-of-week year)`, already validated by the configuration schema. */
  readonly cron: string;
  /** IANA name, e.g. Europe/Berlin: the cron's hours are local time there, daylight saving included. */
  readonly timeZone: string;
}

export class DigestSchedule extends Construct {
  readonly schedule: Schedule;
  /** Assumed by EventBridge Scheduler for this schedule only; may invoke the digest function and nothing else. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: DigestScheduleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'EventBridge Scheduler invokes the ACM approval digest',
    });
    // Exactly the unqualified function ARN: aws-scheduler-targets' LambdaInvoke would also grant `<arn>:*`.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [props.digest.functionArn],
      }),
    );
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Mails each owner the digest of open ACM approval requests',
      schedule: ScheduleExpression.expression(props.cron, TimeZone.of(props.timeZone)),
      target: new InvokeFunction(props.digest, this.role),
    });
  }
}

class InvokeFunction implements IScheduleTarget {
  constructor(
    private readonly fn: IFunction,
    private readonly role: Role,
  ) {}

  bind(_schedule: ISchedule): ScheduleTargetConfig {
    // A digest that failed is better skipped than sent twice: the digest error alarm tells the operators.
    return { arn: this.fn.functionArn, role: this.role, retryPolicy: { maximumRetryAttempts: 0 } };
  }
}
