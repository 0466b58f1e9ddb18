/**
 * The product as a platform team uses it in its own CDK app: `new AcmValidationMail(stack, 'AcmMail', props)`.
 * The props are the configuration file's fields, validated here with the file's messages (paths start `props.`),
 * and the construct adds the intent methods users extend it with. The resources are `ValidationMailPipeline`'s.
 */
import { Stack, Tags, Token } from 'aws-cdk-lib';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  type ITopic,
  type ITopicSubscription,
  SubscriptionFilter,
  type TopicSubscriptionConfig,
} from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { type Configuration, ConfigurationError, parseConfiguration } from '../handlers/core/configuration/index.js';
import { ARCHIVE_PREFIX } from '../handlers/core/deployment-contract.js';
import type { AcmValidationMailProps } from './acm-validation-mail-props.js';
import { ValidationMailPipeline } from './validation-mail-pipeline.js';

export interface ApprovalsSubscriptionOptions {
  /**
   * The owner (`owners[].name`) whose messages this subscription receives, and only those: with
   * `snsApprovalLinks`, they carry the live approval link of trusted requests.
   * @default - every owner's messages, but never one that carries a live approval link
   */
  readonly owner?: string;
}

export class AcmValidationMail extends ValidationMailPipeline {
  /** The props as validated, with every default applied: what the functions bundle and check again at cold start. */
  readonly configuration: Configuration;

  /** @throws ConfigurationError listing every problem, each as `props.<path>: <value> <what is wrong> (expected ...)` */
  constructor(scope: Construct, id: string, props: AcmValidationMailProps) {
    const configuration = parseConfiguration(props, `${scope.node.path || 'app'}/${id}`, 'props');
    super(scope, id, { configuration });
    this.configuration = configuration;
    // Here rather than only on the repository's stack: in a platform team's stack, `tags` still means every resource
    // of the product.
    for (const [key, value] of Object.entries(configuration.tags)) Tags.of(this).add(key, value);
    // The receipt rule, the SES identities and the MX records are made in the stack's region, and the functions and
    // the doctor expect SES there: a stack in another region would receive no mail at all.
    const { region } = Stack.of(this);
    if (!Token.isUnresolved(region) && region !== configuration.region) {
      throw new ConfigurationError(this.node.path, [
        `props.region: ${JSON.stringify(configuration.region)} is not the stack's region ${region} (expected the same region)`,
      ]);
    }
  }

  /**
   * Lets `grantee` read the archived mail: raw mail (`inbound/`) and quarantined copies (`quarantine/`), objects and
   * listing. Raw mail holds live approval links: grant it to what must read mail (a SIEM, an investigation role).
   */
  grantReadArchive(grantee: IGrantable): Grant {
    const read = this.archive.bucket.grantRead(grantee, `${ARCHIVE_PREFIX.inbound}*`);
    return read.combine(this.archive.bucket.grantRead(grantee, `${ARCHIVE_PREFIX.quarantine}*`));
  }

  /**
   * Subscribes to the approvals topic (one message per approval request, README "Approvals topic message"). Without
   * `owner` the subscription gets every owner's messages except those with a live approval link, as
   * `notifications.approvalsEmail` does; with `owner`, that owner's messages only. The filter is added to the
   * subscription's own attribute filter; a subscription that filters on the message body cannot be combined with it
   * and is refused.
   */
  addApprovalsSubscription(subscription: ITopicSubscription, options: ApprovalsSubscriptionOptions = {}): void {
    let filter: Record<string, SubscriptionFilter>;
    if (options.owner === undefined) {
      filter = { link: SubscriptionFilter.stringFilter({ allowlist: ['withheld'] }) };
    } else {
      const owner = this.configuration.owners.find((candidate) => candidate.name === options.owner);
      if (owner === undefined) {
        const names = this.configuration.owners.map((candidate) => candidate.name).join(', ');
        throw new ConfigurationError(`${this.node.path} addApprovalsSubscription`, [
          `owner: ${JSON.stringify(options.owner)} is not an owner (expected one of ${names})`,
        ]);
      }
      filter = { owner: SubscriptionFilter.stringFilter({ allowlist: [owner.snsFilterValue] }) };
    }
    this.topics.approvals.addSubscription(new FilteredSubscription(subscription, filter, this.node.path));
  }

  /** Subscribes to the alerts topic: security alerts (suspicious and foreign-account mail) and operational alarms. */
  addAlertsSubscription(subscription: ITopicSubscription): void {
    this.topics.alerts.addSubscription(subscription);
  }
}

/**
 * A subscription with our attribute filter laid over its own. Our keys (`link`, `owner`) must not be in the user's
 * filter: a filter of theirs on the same attribute could widen ours, so it is refused rather than merged.
 */
class FilteredSubscription implements ITopicSubscription {
  constructor(
    private readonly inner: ITopicSubscription,
    private readonly filter: Record<string, SubscriptionFilter>,
    private readonly where: string,
  ) {}

  bind(topic: ITopic): TopicSubscriptionConfig {
    const config = this.inner.bind(topic);
    if (config.filterPolicyWithMessageBody !== undefined) {
      throw new ConfigurationError(`${this.where} addApprovalsSubscription`, [
        `subscription: ${config.endpoint} filters on the message body (expected a filter on message attributes, or none: the approvals filter is on attributes)`,
      ]);
    }
    const own = config.filterPolicy ?? {};
    const clash = Object.keys(this.filter).filter((key) => key in own);
    if (clash.length > 0) {
      throw new ConfigurationError(`${this.where} addApprovalsSubscription`, [
        `subscription: ${config.endpoint} filters on ${clash.join(', ')} itself (expected no filter on it: pass { owner } instead)`,
      ]);
    }
    return { ...config, filterPolicy: { ...own, ...this.filter } };
  }
}
