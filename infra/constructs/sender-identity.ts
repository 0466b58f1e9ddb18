/**
 * The SES identity of the sender's domain, made so that ticket systems' DMARC checks pass: Easy DKIM signs for the
 * From domain, and a custom MAIL FROM subdomain makes SPF pass for a domain aligned with it. Records go into the
 * given hosted zone, or out as stack outputs for whoever runs the domain's DNS (README, "Sender domain").
 */
import { CfnOutput, Duration, Fn } from 'aws-cdk-lib';
import { CnameRecord, type IHostedZone, MxRecord, TxtRecord } from 'aws-cdk-lib/aws-route53';
import { EmailIdentity, Identity, MailFromBehaviorOnMxFailure } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface SenderIdentityProps {
  /** The domain of the sender address, e.g. `notify.example.org`. */
  readonly senderDomain: string;
  /** The custom MAIL FROM domain, a subdomain of `senderDomain` used for nothing else. */
  readonly mailFromDomain: string;
  /** The region SES sends from: the MAIL FROM domain's MX points at its feedback endpoint. */
  readonly region: string;
  /** Where the records go. @default - none: each record is a stack output to add by hand */
  readonly hostedZone?: IHostedZone;
  /** The DMARC policy to publish. @default - none: the recommended record is a stack output */
  readonly dmarc?: { readonly policy: 'none' | 'quarantine' | 'reject'; readonly reportsTo?: string };
}

export class SenderIdentity extends Construct {
  readonly identity: EmailIdentity;
  /** The DMARC record's value, as published or as recommended. */
  readonly dmarcRecord: string;

  constructor(scope: Construct, id: string, props: SenderIdentityProps) {
    super(scope, id);
    const { senderDomain, mailFromDomain, region, hostedZone } = props;
    if (mailFromDomain === senderDomain || !mailFromDomain.endsWith(`.${senderDomain}`)) {
      throw new Error(`mail from domain ${mailFromDomain} is not a subdomain of ${senderDomain}`);
    }
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(senderDomain),
      mailFromDomain,
      // Without its MX record SES falls back to its own MAIL FROM: mail still goes out, DKIM alone still aligns.
      mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
    });
    const feedbackEndpoint = `feedback-smtp.${region}.amazonses.com`;
    const spf = 'v=spf1 include:amazonses.com ~all';
    const policy = props.dmarc?.policy ?? 'none';
    const reports = props.dmarc?.reportsTo ? `; rua=mailto:${props.dmarc.reportsTo}` : '';
    this.dmarcRecord = `v=DMARC1; p=${policy}${reports}`;

    if (hostedZone) {
      this.identity.dkimRecords.forEach((record, n) => {
        new CnameRecord(this, `Dkim${n + 1}`, {
          zone: hostedZone,
          // The token is already the full name; the final dot stops Route 53 constructs appending the zone again.
          recordName: `${record.name}.`,
          domainName: record.value,
          ttl: Duration.hours(1),
        });
      });
      new MxRecord(this, 'MailFromMx', {
        zone: hostedZone,
        recordName: `${mailFromDomain}.`,
        values: [{ priority: 10, hostName: feedbackEndpoint }],
        ttl: Duration.hours(1),
      });
      new TxtRecord(this, 'MailFromSpf', {
        zone: hostedZone,
        recordName: `${mailFromDomain}.`,
        values: [spf],
        ttl: Duration.hours(1),
      });
      // Published only when asked: a domain's DMARC policy is its owner's decision, and one may exist already.
      if (props.dmarc) {
        new TxtRecord(this, 'Dmarc', {
          zone: hostedZone,
          recordName: `_dmarc.${senderDomain}.`,
          values: [this.dmarcRecord],
          ttl: Duration.hours(1),
        });
      }
      return;
    }
    this.identity.dkimRecords.forEach((record, n) => {
      new CfnOutput(this, `DkimRecord${n + 1}`, {
        description: `Add this DKIM CNAME record for the sender domain ${senderDomain}`,
        value: Fn.join('', [record.name, '. CNAME ', record.value]),
      }).overrideLogicalId(`SenderDkimRecord${n + 1}`);
    });
    new CfnOutput(this, 'MailFromMxRecord', {
      description: `Add this MX record for the MAIL FROM domain ${mailFromDomain}`,
      value: `${mailFromDomain}. MX 10 ${feedbackEndpoint}`,
    }).overrideLogicalId('SenderMailFromMxRecord');
    new CfnOutput(this, 'MailFromSpfRecord', {
      description: `Add this SPF TXT record for the MAIL FROM domain ${mailFromDomain}`,
      value: `${mailFromDomain}. TXT "${spf}"`,
    }).overrideLogicalId('SenderMailFromSpfRecord');
    new CfnOutput(this, 'DmarcRecord', {
      description: `Add this DMARC TXT record for the sender domain ${senderDomain} (raise p when reports look right)`,
      value: `_dmarc.${senderDomain}. TXT "${this.dmarcRecord}"`,
    }).overrideLogicalId('SenderDmarcRecord');
  }
}
