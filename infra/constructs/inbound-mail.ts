/**
 * SES receiving for the configured addresses: one identity and MX per SES-receiving validation domain (records in
 * Route 53 when a hosted zone is given, stack outputs otherwise), receipt rules whose recipients are exactly the
 * five ACM mailboxes of those domains plus the extra inbound addresses, and, in `create` mode, a rule set that is
 * activated only when that is safe.
 */
import { CfnOutput, CustomResource, Duration, Fn } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CnameRecord, HostedZone, type IHostedZone, MxRecord } from 'aws-cdk-lib/aws-route53';
import {
  EmailIdentity,
  Identity,
  type IReceiptRuleSet,
  ReceiptRule,
  ReceiptRuleSet,
  TlsPolicy,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { type Configuration, receiptRecipients } from '../../handlers/core/configuration/index.js';
import { ARCHIVE_PREFIX, type MailArchive } from './mail-archive.js';
import { PipelineFunction } from './pipeline-function.js';
import { InvokeRouter, receiptRuleArn, StoreInArchive } from './receipt-actions.js';

/** SES allows at most 100 recipients per receipt rule. */
export const RECIPIENTS_PER_RULE = 100;

export interface InboundMailProps {
  readonly configuration: Configuration;
  readonly archive: MailArchive;
  readonly router: IFunction;
}

export class InboundMail extends Construct {
  /** Our rule set: created here in `create` mode, the named existing one otherwise. */
  readonly ruleSet: IReceiptRuleSet;
  readonly ruleSetName: string;
  readonly rules: ReceiptRule[];
  readonly ruleArns: string[];
  readonly identities: EmailIdentity[];
  /** `Custom::SesActiveReceiptRuleSet`, in `create` mode only. */
  readonly activation?: CustomResource;
  readonly activationFunction?: PipelineFunction;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    const { configuration, archive, router } = props;
    const inboundEndpoint = `inbound-smtp.${configuration.region}.amazonaws.com`;

    this.identities = [];
    configuration.validationDomains.forEach((domain, index) => {
      if (domain.receive !== 'ses') return;
      const zone = domain.hostedZone
        ? HostedZone.fromHostedZoneAttributes(this, `Zone${index}`, {
            hostedZoneId: domain.hostedZone.id,
            zoneName: domain.hostedZone.name,
          })
        : undefined;
      const identity =
        domain.identity === 'create'
          ? new EmailIdentity(this, `Identity${index}`, { identity: Identity.domain(domain.name) })
          : undefined;
      if (identity) this.identities.push(identity);
      this.publishDnsRecords(index, domain.name, inboundEndpoint, zone, identity);
    });

    this.ruleSetName = configuration.ruleSet.name;
    this.ruleSet =
      configuration.ruleSet.mode === 'create'
        ? new ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: this.ruleSetName })
        : ReceiptRuleSet.fromReceiptRuleSetName(this, 'RuleSet', this.ruleSetName);

    const recipients = receiptRecipients(configuration);
    const chunks: string[][] = [];
    for (let start = 0; start < recipients.length; start += RECIPIENTS_PER_RULE) {
      chunks.push(recipients.slice(start, start + RECIPIENTS_PER_RULE));
    }
    const ruleNames = chunks.map((_, index) => `${configuration.stackName}-acm-mail-${index + 1}`);
    this.ruleArns = ruleNames.map((name) => receiptRuleArn(this, this.ruleSetName, name));
    archive.allowSesDelivery(this.ruleArns);

    const existingAfter = configuration.ruleSet.mode === 'existing' ? configuration.ruleSet.after : undefined;
    this.rules = [];
    chunks.forEach((chunk, index) => {
      const previous = this.rules[index - 1];
      const rule = new ReceiptRule(this, `Rule${index + 1}`, {
        ruleSet: this.ruleSet,
        receiptRuleName: ruleNames[index],
        recipients: chunk,
        enabled: true,
        // SES scans for spam and viruses only when asked; the verdicts feed the trust gate.
        scanEnabled: true,
        // Mail not sent over TLS bounces; ACM sends over TLS.
        tlsPolicy: TlsPolicy.REQUIRE,
        // Order matters: the raw mail is stored before the router runs, so the router can always read it.
        actions: [
          new StoreInArchive(archive.bucket, ARCHIVE_PREFIX.inbound),
          new InvokeRouter(router, this.ruleArns[index] as string, `AllowSesRule${index + 1}`),
        ],
        after:
          previous ??
          (existingAfter === undefined
            ? undefined
            : ReceiptRule.fromReceiptRuleName(this, 'ExistingRuleBefore', existingAfter)),
      });
      // SES checks its write access to the bucket when the rule is created.
      if (archive.bucket.policy) rule.node.addDependency(archive.bucket.policy);
      this.rules.push(rule);
    });

    if (configuration.ruleSet.mode === 'create') {
      this.activationFunction = new PipelineFunction(this, 'ActivationFunction', {
        entry: 'handlers/lambda/rule-set-activation.ts',
        description: 'Activates the ACM validation mail receipt rule set only when no other set is active',
        serviceName: 'rule-set-activation',
        memorySize: 256,
        timeout: Duration.seconds(60),
      });
      this.activationFunction.controlsActiveRuleSet();
      this.activation = new CustomResource(this, 'ActiveRuleSet', {
        resourceType: 'Custom::SesActiveReceiptRuleSet',
        serviceToken: this.activationFunction.function.functionArn,
        properties: { RuleSetName: this.ruleSetName, TakeOver: String(configuration.ruleSet.takeOver) },
      });
      // Activate only once the rules are in place, and on delete deactivate before the set is removed.
      for (const rule of this.rules) this.activation.node.addDependency(rule);
    }
  }

  private publishDnsRecords(
    index: number,
    domain: string,
    inboundEndpoint: string,
    zone: IHostedZone | undefined,
    identity: EmailIdentity | undefined,
  ): void {
    if (zone) {
      new MxRecord(this, `Mx${index}`, {
        zone,
        recordName: domain,
        values: [{ priority: 10, hostName: inboundEndpoint }],
        ttl: Duration.hours(1),
      });
      identity?.dkimRecords.forEach((record, n) => {
        new CnameRecord(this, `Dkim${index}x${n + 1}`, {
          zone,
          // The token is already the full name; the final dot stops Route 53 constructs appending the zone again.
          recordName: `${record.name}.`,
          domainName: record.value,
          ttl: Duration.hours(1),
        });
      });
      return;
    }
    // Output names a person can match to the domain: MxRecordExampleNet, DkimRecord1ExampleNet...
    const suffix = domain
      .split(/[.-]/)
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
    new CfnOutput(this, `MxRecord${index}`, {
      description: `Add this MX record for ${domain} (no hosted zone configured)`,
      value: `${domain}. MX 10 ${inboundEndpoint}`,
    }).overrideLogicalId(`MxRecord${suffix}`);
    identity?.dkimRecords.forEach((record, n) => {
      new CfnOutput(this, `DkimRecord${index}x${n + 1}`, {
        description: `Add this DKIM CNAME record for ${domain} (no hosted zone configured)`,
        value: Fn.join('', [record.name, '. CNAME ', record.value]),
      }).overrideLogicalId(`DkimRecord${n + 1}${suffix}`);
    });
  }
}
