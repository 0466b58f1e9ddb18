/**
 * The way off email validation for one email-validated certificate. An email-validated certificate cannot be
 * switched to DNS validation: it is replaced by a new DNS-validated one for the same names, swapped in where the old
 * one is used, and the old one is deleted once nothing uses it (ACM User Guide, "DNS validation"; AWS Security Blog on
 * the end of WHOIS mail). Each step comes with the AWS CLI commands for the certificate's account and region.
 *
 * Never advises deleting a certificate that is in use: the delete step first checks `InUseBy` is empty, and ACM
 * itself refuses to delete a certificate in use (`ResourceInUseException`).
 */
import type { EstateCertificate } from './certificate.js';
import type { KnownHostedZone } from './scope.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * ACM mails for a renewal approval from 45 days before expiry (ACM User Guide, email-renewal-validation.html; the
 * digest's RENEWAL_HORIZON_DAYS). Not imported from the digest, which imports this module.
 */
export const APPROVAL_MAIL_DAYS = 45;

export interface NamePlacement {
  readonly name: string;
  /** The known hosted zone the name's validation record goes in; null: a DNS this configuration does not know. */
  readonly zone: KnownHostedZone | null;
}

export interface AdviceStep {
  readonly title: string;
  /** Shell lines, comments (`#`) included, to run in order. */
  readonly commands: readonly string[];
}

export interface MigrationAdvice {
  readonly arn: string;
  /** Every name is in a hosted zone the configuration knows: the move needs nobody outside this team. */
  readonly ready: boolean;
  readonly names: readonly NamePlacement[];
  /** Names whose validation CNAME must be added in a DNS outside the known hosted zones. */
  readonly externalNames: readonly string[];
  readonly daysToExpiry: number | null;
  /**
   * Not in use and expiring within 45 days: ACM will mail for an approval nobody may expect (and nobody may give),
   * so say now whether it is still needed.
   */
  readonly unusedAndExpiringSoon: boolean;
  readonly steps: readonly AdviceStep[];
}

/** The known zone a name's validation record belongs in: the longest zone name that is the name or a parent of it. */
export function zoneFor(name: string, zones: readonly KnownHostedZone[]): KnownHostedZone | null {
  const bare = name.replace(/^\*\./, '').toLowerCase().replace(/\.$/, '');
  let best: KnownHostedZone | null = null;
  for (const zone of zones) {
    const zoneName = zone.name.replace(/\.$/, '');
    if (bare !== zoneName && !bare.endsWith(`.${zoneName}`)) continue;
    if (best === null || zoneName.length > best.name.length) best = zone;
  }
  return best;
}

/** A word for a POSIX shell: as is when it is plainly safe, else in single quotes. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_.,:/=@%+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

export function migrationAdvice(
  certificate: EstateCertificate,
  zones: readonly KnownHostedZone[],
  now: Date,
): MigrationAdvice {
  const names = certificate.names.map((name) => ({ name, zone: zoneFor(name, zones) }));
  const externalNames = names.filter((placement) => placement.zone === null).map((placement) => placement.name);
  const daysToExpiry =
    certificate.notAfter === null ? null : Math.floor((Date.parse(certificate.notAfter) - now.getTime()) / DAY_MS);
  const inUse = certificate.inUseBy.length > 0;
  return {
    arn: certificate.arn,
    ready: externalNames.length === 0 && names.length > 0,
    names,
    externalNames,
    daysToExpiry,
    unusedAndExpiringSoon: !inUse && daysToExpiry !== null && daysToExpiry <= APPROVAL_MAIL_DAYS,
    steps: stepsFor(certificate, names),
  };
}

function stepsFor(certificate: EstateCertificate, names: readonly NamePlacement[]): AdviceStep[] {
  const region = `--region ${shellWord(certificate.region)}`;
  const old = shellWord(certificate.arn);
  const [first, ...others] = certificate.names;
  // The same token within an hour requests one certificate, not one per run of the commands (ACM API Reference,
  // RequestCertificate, IdempotencyToken: up to 32 letters and digits).
  const token = (certificate.arn.split('/').pop() ?? '').replace(/[^A-Za-z0-9]/g, '').slice(0, 32) || 'estate';
  const where = `# in account ${certificate.accountId} (${certificate.accountName}), region ${certificate.region}: with credentials for that account`;
  const request = [
    where,
    `NEW_ARN=$(aws acm request-certificate ${region} --domain-name ${shellWord(first ?? '')}` +
      (others.length > 0 ? ` --subject-alternative-names ${others.map(shellWord).join(' ')}` : '') +
      ` --validation-method DNS --idempotency-token ${token} --query CertificateArn --output text)`,
    'echo "$NEW_ARN"',
  ];
  const recordOf = (name: string) =>
    `aws acm describe-certificate ${region} --certificate-arn "$NEW_ARN" --query ${shellWord(
      `Certificate.DomainValidationOptions[?DomainName=='${name}'].ResourceRecord`,
    )}`;
  const records: string[] = [];
  for (const { name, zone } of names) {
    records.push(recordOf(name));
    if (zone === null) {
      records.push(
        `# ${name} is in no Route 53 hosted zone this configuration knows: add the CNAME above (Name -> Value) in the DNS that serves ${name.replace(/^\*\./, '')}`,
      );
    } else {
      const batch = `{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"<Name above>","Type":"CNAME","TTL":300,"ResourceRecords":[{"Value":"<Value above>"}]}}]}`;
      records.push(
        `aws route53 change-resource-record-sets --hosted-zone-id ${shellWord(zone.id)} --change-batch ${shellWord(batch)}`,
      );
    }
  }
  const inUse = certificate.inUseBy.length > 0;
  return [
    { title: 'Request a DNS-validated certificate for the same names', commands: request },
    {
      title: 'Add the validation CNAME records (a wildcard and its base name share one record)',
      commands: records,
    },
    {
      title: 'Wait for the new certificate to be issued',
      commands: [`aws acm wait certificate-validated ${region} --certificate-arn "$NEW_ARN"`],
    },
    {
      title: inUse
        ? `Swap the new certificate into each resource that uses the old one (${certificate.inUseBy.length})`
        : 'Nothing uses the old certificate: no swap is needed',
      commands: certificate.inUseBy.flatMap((resource) => swapCommands(resource, certificate)),
    },
    {
      title: 'Delete the old certificate once nothing uses it (ACM refuses while anything does)',
      commands: [
        `aws acm describe-certificate ${region} --certificate-arn ${old} --query Certificate.InUseBy  # must print []`,
        `aws acm delete-certificate ${region} --certificate-arn ${old}`,
      ],
    },
  ];
}

/** The commands that put `$NEW_ARN` where the old certificate is used, by the kind of resource. */
function swapCommands(resource: string, certificate: EstateCertificate): string[] {
  const [, , service = '', resourceRegion = '', , path = ''] = resource.split(':');
  const region = `--region ${shellWord(resourceRegion || certificate.region)}`;
  const old = shellWord(certificate.arn);
  if (service === 'elasticloadbalancing' && /^loadbalancer\/(app|net)\//.test(path)) {
    const listeners = `Listeners[?Protocol=='HTTPS' || Protocol=='TLS'].ListenerArn`;
    return [
      `# ${resource}: for each HTTPS/TLS listener, as its default certificate or an extra (SNI) one`,
      `aws elbv2 describe-listeners ${region} --load-balancer-arn ${shellWord(resource)} --query ${shellWord(listeners)} --output text`,
      `aws elbv2 describe-listener-certificates ${region} --listener-arn LISTENER_ARN  # IsDefault says which`,
      `aws elbv2 modify-listener ${region} --listener-arn LISTENER_ARN --certificates CertificateArn="$NEW_ARN"  # the default one`,
      `aws elbv2 add-listener-certificates ${region} --listener-arn LISTENER_ARN --certificates CertificateArn="$NEW_ARN"  # an extra one, then:`,
      `aws elbv2 remove-listener-certificates ${region} --listener-arn LISTENER_ARN --certificates CertificateArn=${old}`,
    ];
  }
  if (service === 'cloudfront' && path.startsWith('distribution/')) {
    const id = shellWord(path.slice('distribution/'.length));
    const file = `cloudfront-${path.slice('distribution/'.length).replace(/[^A-Za-z0-9]/g, '')}`;
    return [
      `# ${resource}: CloudFront takes the whole configuration back, with the ETag it was read with`,
      `aws cloudfront get-distribution-config --id ${id} --output json > ${file}.json`,
      `jq --arg arn "$NEW_ARN" '.DistributionConfig | .ViewerCertificate.ACMCertificateArn = $arn | .ViewerCertificate.Certificate = $arn' ${file}.json > ${file}-new.json`,
      `aws cloudfront update-distribution --id ${id} --if-match "$(jq -r .ETag ${file}.json)" --distribution-config file://${file}-new.json`,
    ];
  }
  return [
    `# ${resource}: replace ${certificate.arn} with $NEW_ARN in this resource (its console, or the template or code that made it)`,
  ];
}
