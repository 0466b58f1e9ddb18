/**
 * The house defaults for every function of the pipeline, and the intent methods that wire an environment variable
 * together with exactly the permission that variable is for. Each is called on its own, never chained; one that
 * grants returns its `Grant`, for a caller that must order something after the permission.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Grant, type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, type IDestination, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { domainOf } from '../../handlers/core/addresses.js';
import type { Configuration, OrganizationAccounts } from '../../handlers/core/configuration/index.js';
import { ARCHIVE_PREFIX, ENV, REQUEST_TABLE_SCHEMA } from '../../handlers/core/deployment-contract.js';

/**
 * The package's root: the folder of the nearest package.json above this module. That is the repository when run from
 * the sources (infra/constructs/), and node_modules/acm-validation-mail when a consumer runs the compiled copy
 * (dist/infra/constructs/): either way the handlers' sources are under it, and esbuild bundles them from there.
 */
const PROJECT_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * NodejsFunction wants a lock file inside the project root, but uses it only to pick the package manager that runs
 * esbuild (no `nodeModules` are installed into these bundles). npm never packs package-lock.json, so an installed
 * copy names its package.json instead, which makes the CDK pick npm, as the repository's lock file does.
 */
const DEPS_LOCK_FILE = existsSync(join(PROJECT_ROOT, 'package-lock.json'))
  ? join(PROJECT_ROOT, 'package-lock.json')
  : join(PROJECT_ROOT, 'package.json');

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return `${dir}/`;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: the package is incomplete`);
  }
}

/**
 * The newest Node.js runtime this aws-cdk-lib knows; cdk-nag's AwsSolutions-L1 accepts only the newest of the family.
 * Pinned rather than NODEJS_LATEST so that an upgrade of aws-cdk-lib never changes the runtime unseen.
 */
export const PIPELINE_RUNTIME = Runtime.NODEJS_24_X;

export interface AsyncInvocation {
  /** Lambda's own retries of a failed asynchronous invocation (0-2). */
  readonly retryAttempts: number;
  /** How long Lambda keeps trying an event before it goes to `onFailure`. */
  readonly maxEventAge: Duration;
  /** Where an event goes when every attempt failed. @default - nowhere: the event is dropped */
  readonly onFailure?: IDestination;
}

export interface PipelineFunctionProps {
  /** Entry file relative to the project root, e.g. `handlers/lambda/router.ts`. */
  readonly entry: string;
  readonly description: string;
  /**
   * Bundled into the code (not the 4 KB environment) and validated again at cold start.
   * @default - nothing bundled, for a function that reads no configuration
   */
  readonly configuration?: Configuration;
  /** Memory in MB; Lambda gives CPU in proportion. @default - 512 MB */
  readonly memorySize?: number;
  /** @default - 60 seconds */
  readonly timeout?: Duration;
  /** @default - no reservation: the account's unreserved pool */
  readonly reservedConcurrency?: number;
  /** @default - Lambda's defaults: 2 retries, 6 hours, no destination */
  readonly asyncInvocation?: AsyncInvocation;
  /** How long the function's log group keeps its events. @default - three months (RetentionDays.THREE_MONTHS) */
  readonly logRetention?: RetentionDays;
  /** Value of POWERTOOLS_SERVICE_NAME, the `service` key of each log line. */
  readonly serviceName: string;
}

/** esbuild `--alias` entries, relative to the project root where CDK runs esbuild. */
export const BUNDLE_SHIMS = ['joi=./infra/bundle-shims/joi.cjs', 'tldts=./infra/bundle-shims/tldts.cjs'] as const;

export class PipelineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.THREE_MONTHS });
    // Our own role instead of the AWSLambdaBasicExecutionRole managed policy: it may write to its log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`,
    });
    const define: Record<string, string> = {};
    if (props.configuration !== undefined) {
      define.__ACM_MAIL_CONFIGURATION__ = JSON.stringify(JSON.stringify(props.configuration));
    }
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.entry}`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: DEPS_LOCK_FILE,
      handler: 'handler',
      description: props.description,
      runtime: PIPELINE_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(60),
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
      retryAttempts: props.asyncInvocation?.retryAttempts,
      maxEventAge: props.asyncInvocation?.maxEventAge,
      onFailure: props.asyncInvocation?.onFailure,
      // Stack traces point into the TypeScript sources through the bundled source maps.
      environment: { [ENV.serviceName]: props.serviceName, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        // esbuild from devDependencies, never Docker (none on the build machines).
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        // mailparser and its dependencies are CommonJS and require() Node built-ins: give the ESM bundle a require.
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        mainFields: ['module', 'main'],
        define,
        // Two libraries mailauth loads but never uses on the DKIM path, replaced by strict stand-ins that keep the
        // router bundle in its budget (see infra/bundle-shims/).
        esbuildArgs: { '--alias': [...BUNDLE_SHIMS] },
      },
    });
    this.logGroup.grantWrite(this.role);
  }

  /**
   * Reads raw mail under `inbound/` and writes quarantined copies under `quarantine/`; nothing else of the bucket.
   * Returns the two permissions as one grant.
   */
  bindArchive(bucket: IBucket): Grant {
    this.function.addEnvironment(ENV.archiveBucket, bucket.bucketName);
    const reason =
      'object keys are SES message ids, unknown until mail arrives; the key prefix is the narrowest resource there is';
    const readInbound = Grant.addToPrincipal({
      grantee: this.role,
      actions: ['s3:GetObject'],
      resourceArns: [bucket.arnForObjects(`${ARCHIVE_PREFIX.inbound}*`)],
    });
    const writeQuarantine = Grant.addToPrincipal({
      grantee: this.role,
      actions: ['s3:PutObject'],
      resourceArns: [bucket.arnForObjects(`${ARCHIVE_PREFIX.quarantine}*`)],
    });
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    for (const prefix of [ARCHIVE_PREFIX.inbound, ARCHIVE_PREFIX.quarantine]) {
      const resource = `Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/${prefix}*`;
      if (policy) Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${resource}]`, reason });
    }
    return readInbound.combine(writeQuarantine);
  }

  /** Claims requests and records outcomes: read, conditional put, update and query of the table itself. */
  recordsRequestsIn(table: ITable): Grant {
    this.function.addEnvironment(ENV.requestTable, table.tableName);
    // Written out rather than table.grant(), which would add the table's indexes (`/index/*`) the router never reads.
    return Grant.addToPrincipal({
      grantee: this.role,
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      resourceArns: [table.tableArn],
    });
  }

  /** Queries the open requests through one index; cannot write. */
  readsOpenRequestsFrom(table: ITable, indexName: string): Grant {
    this.function.addEnvironment(ENV.requestTable, table.tableName);
    return Grant.addToPrincipal({
      grantee: this.role,
      actions: ['dynamodb:Query'],
      resourceArns: [`${table.tableArn}/index/${indexName}`],
    });
  }

  /**
   * Reads the mailbox canary's last word on each address (`canary#<address>` items, by key, in batches) for the
   * digest's canary section; `dynamodb:LeadingKeys` keeps it to those items: no request, outcome or probe.
   */
  readsCanaryStatesFrom(table: ITable): Grant {
    this.function.addEnvironment(ENV.requestTable, table.tableName);
    return Grant.addToPrincipal({
      grantee: this.role,
      actions: ['dynamodb:BatchGetItem'],
      resourceArns: [table.tableArn],
      conditions: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${REQUEST_TABLE_SCHEMA.items.probeAddress.prefix}*`] },
      },
    });
  }

  /** Publishes to the approvals topic, encrypted with `key`. */
  publishesApprovalsTo(topic: ITopic, key: IKey): Grant {
    this.function.addEnvironment(ENV.approvalsTopic, topic.topicArn);
    return this.publishTo(topic, key);
  }

  /** Publishes to the alerts topic, encrypted with `key`. */
  publishesAlertsTo(topic: ITopic, key: IKey): Grant {
    this.function.addEnvironment(ENV.alertsTopic, topic.topicArn);
    return this.publishTo(topic, key);
  }

  /**
   * Sends mail only with `sender` as From (`ses:FromAddress`), through the address identity or its domain identity,
   * whichever the account has verified. With `onlyTo`, only to those addresses (`ses:Recipients`, every recipient of
   * a mail one of them); each call adds its own statement, so two calls allow two separate sets of recipients, never
   * a mail that mixes them.
   */
  sendsMailAs(sender: string, onlyTo?: readonly string[]): Grant {
    this.function.addEnvironment(ENV.sender, sender);
    const stack = Stack.of(this);
    const domain = domainOf(sender);
    const identityArn = (identity: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
    if (onlyTo !== undefined && onlyTo.length === 0) {
      throw new Error(`sendsMailAs(${sender}): onlyTo is empty (expected at least one recipient, or none given)`);
    }
    return Grant.addToPrincipal({
      grantee: this.role,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: [identityArn(sender), identityArn(domain)],
      conditions: {
        StringEquals: { 'ses:FromAddress': sender },
        ...(onlyTo === undefined
          ? {}
          : {
              'ForAllValues:StringEquals': { 'ses:Recipients': [...onlyTo] },
              // ForAllValues is also true when the key is absent: require it, so no request slips past the list.
              Null: { 'ses:Recipients': 'false' },
            }),
      },
    });
  }

  /** Reads the probe key (signs probes in the canary, verifies them in the router): that one secret's value only. */
  readsProbeKeyFrom(secret: ISecret): Grant {
    this.function.addEnvironment(ENV.probeKeySecret, secret.secretArn);
    // Written out rather than secret.grantRead(), which also grants secretsmanager:DescribeSecret.
    return Grant.addToPrincipal({
      grantee: this.role,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [secret.secretArn],
    });
  }

  /**
   * Records canary probes and reads each address's state: put, update, get, query and batch get on the table itself
   * (the canary store's calls), no index.
   */
  recordsProbesIn(table: ITable): Grant {
    this.function.addEnvironment(ENV.requestTable, table.tableName);
    return Grant.addToPrincipal({
      grantee: this.role,
      actions: [
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:BatchGetItem',
      ],
      resourceArns: [table.tableArn],
    });
  }

  /**
   * Creates one-time schedules in `group` only, each invoking through `role`, which it may pass to Scheduler and to
   * no other service. Schedule names are per run, unknown at deploy time: `<group>/*` is the narrowest resource.
   */
  schedulesChecksIn(group: IScheduleGroup, role: IRole): Grant {
    this.function.addEnvironment(ENV.canaryScheduleGroup, group.scheduleGroupName);
    this.function.addEnvironment(ENV.canarySchedulerRole, role.roleArn);
    const schedules = Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${group.scheduleGroupName}/*`,
    });
    const create = Grant.addToPrincipal({
      grantee: this.role,
      actions: ['scheduler:CreateSchedule'],
      resourceArns: [schedules],
    });
    const passRole = Grant.addToPrincipal({
      grantee: this.role,
      actions: ['iam:PassRole'],
      resourceArns: [role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
    return create.combine(passRole);
  }

  /**
   * Reads and sets the account's active receipt rule set. These SES (v1) actions have no resource type in the
   * Service Authorization Reference ("Actions, resources, and condition keys for Amazon SES"), so `*` is the only
   * resource IAM accepts; acknowledged for cdk-nag with that reason.
   */
  controlsActiveRuleSet(): Grant {
    const grant = Grant.addToPrincipal({
      grantee: this.role,
      actions: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'],
      resourceArns: ['*'],
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:DescribeActiveReceiptRuleSet and ses:SetActiveReceiptRuleSet support no resource-level permissions ' +
        '(Service Authorization Reference for Amazon SES): the resource must be "*". The role can do nothing else.',
    });
    return grant;
  }

  /**
   * May assume the read-only status roles named in the configuration (and nothing else) to ask ACM. With no roles
   * nothing is granted, and there is no grant to return.
   */
  checksCertificatesWith(roleArns: readonly string[]): Grant | undefined {
    if (roleArns.length === 0) return undefined;
    return Grant.addToPrincipal({ grantee: this.role, actions: ['sts:AssumeRole'], resourceArns: [...roleArns] });
  }

  /**
   * May list the organisation's accounts: through the configured role (assume it, nothing else), or with its own
   * role when none is configured. Organizations' list actions name no resource an ARN known at synth time could
   * match (the organisation's id is not in the configuration), so `*` is the resource; acknowledged for cdk-nag.
   */
  readsOrganizationAccounts(organization: OrganizationAccounts): Grant {
    if (organization.roleArn !== undefined) {
      return Grant.addToPrincipal({
        grantee: this.role,
        actions: ['sts:AssumeRole'],
        resourceArns: [organization.roleArn],
      });
    }
    const grant = Grant.addToPrincipal({
      grantee: this.role,
      actions: [
        'organizations:ListAccounts',
        'organizations:ListAccountsForParent',
        'organizations:ListOrganizationalUnitsForParent',
      ],
      resourceArns: ['*'],
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'organizations:ListAccounts has no resource type, and the units ListAccountsForParent and ' +
        'ListOrganizationalUnitsForParent take are named by the organisation id, which the configuration does not ' +
        'hold (Service Authorization Reference for AWS Organizations): the resource must be "*". Read-only listing.',
    });
    return grant;
  }

  /**
   * Puts the product's events (core/product-events.ts) on the central bus: `events:PutEvents` on that bus only.
   * Written out rather than bus.grantPutEventsTo(), which grants on the bus too, to say here what the function holds.
   */
  putsEventsOn(bus: IEventBus): Grant {
    this.function.addEnvironment(ENV.eventBus, bus.eventBusName);
    return Grant.addToPrincipal({
      grantee: this.role,
      actions: ['events:PutEvents'],
      resourceArns: [bus.eventBusArn],
    });
  }

  /** Metrics go out as CloudWatch embedded metric format in the log stream: no PutMetricData permission needed. */
  emitsMetricsUnder(namespace: string): void {
    this.function.addEnvironment(ENV.metricsNamespace, namespace);
  }

  private publishTo(topic: ITopic, key: IKey): Grant {
    // Written out rather than topic.grantPublish(), which would also grant kms:ReEncrypt* and kms:GenerateDataKey*.
    const publish = Grant.addToPrincipal({
      grantee: this.role,
      actions: ['sns:Publish'],
      resourceArns: [topic.topicArn],
    });
    // An encrypted topic needs the publisher to be able to make and use a data key (SNS SSE documentation).
    const useKey = Grant.addToPrincipal({
      grantee: this.role,
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resourceArns: [key.keyArn],
    });
    return publish.combine(useKey);
  }
}
