/**
 * MX records: an SES-receiving domain's mail goes to SES only when its MX is exactly
 * `10 inbound-smtp.<region>.amazonaws.com` (any other MX beside it takes a share of the mail); a forwarded domain's MX
 * must stay with the corporate mail system, which forwards the five mailboxes to our extra addresses.
 */
import { Resolver } from 'node:dns/promises';
import type { Configuration, ValidationDomain } from '../core/configuration/index.js';
import { type CheckResult, errorText, fail, ok } from './check.js';

export interface MxRecord {
  readonly exchange: string;
  readonly priority: number;
}

/** The one DNS question the doctor asks. */
export interface MxResolver {
  resolveMx(domain: string): Promise<MxRecord[]>;
}

/**
 * A resolver of its own, never the process-wide one: `servers` (`127.0.0.1:5353`, `1.1.1.1`) lets an operator ask a
 * resolver outside a split-horizon company DNS, and lets the tests ask a local server. A short timeout and two tries:
 * an unreachable server fails the check in seconds instead of hanging the doctor.
 */
export function mxResolver(servers: readonly string[] = []): MxResolver {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  if (servers.length > 0) resolver.setServers([...servers]);
  return { resolveMx: (domain) => resolver.resolveMx(domain) };
}

export const sesInboundHost = (region: string) => `inbound-smtp.${region}.amazonaws.com`;

const bare = (host: string) => host.toLowerCase().replace(/\.$/, '');
const listed = (records: readonly MxRecord[]) =>
  records
    .map((record) => `${record.priority} ${record.exchange}`)
    .sort()
    .join(', ');

/** What the answer was, when there was none: NXDOMAIN and NODATA are findings, anything else a lookup failure. */
function lookupProblem(domain: string, error: unknown): { kind: 'nxdomain' | 'no-mx' | 'failed'; text: string } {
  const code = (error as { code?: string }).code;
  if (code === 'ENOTFOUND') return { kind: 'nxdomain', text: `${domain} does not exist in DNS (NXDOMAIN)` };
  if (code === 'ENODATA') return { kind: 'no-mx', text: `${domain} has no MX record` };
  return { kind: 'failed', text: `the MX lookup of ${domain} failed: ${errorText(error)}` };
}

function setMxFix(domain: ValidationDomain, region: string, others: readonly MxRecord[]): string {
  const value = `10 ${sesInboundHost(region)}`;
  const remove = others.length > 0 ? `; remove ${others.map((r) => `"${r.priority} ${r.exchange}"`).join(', ')}` : '';
  if (domain.hostedZone !== undefined) {
    const batch = JSON.stringify({
      Changes: [
        {
          Action: 'UPSERT',
          ResourceRecordSet: { Name: `${domain.name}.`, Type: 'MX', TTL: 300, ResourceRecords: [{ Value: value }] },
        },
      ],
    });
    return (
      `the stack manages this record in hosted zone ${domain.hostedZone.id}: redeploy (npx cdk deploy) or set it ` +
      `now: aws route53 change-resource-record-sets --hosted-zone-id ${domain.hostedZone.id} --change-batch '${batch}'`
    );
  }
  return `set exactly one MX record at the DNS provider of ${domain.name}: "${domain.name}. 300 IN MX ${value}"${remove}`;
}

export async function mxCheck(domain: ValidationDomain, region: string, dns: MxResolver): Promise<CheckResult> {
  const id = `dns:${domain.name}`;
  const ses = sesInboundHost(region);
  let records: MxRecord[];
  try {
    records = await dns.resolveMx(domain.name);
  } catch (error) {
    const problem = lookupProblem(domain.name, error);
    if (problem.kind === 'failed') {
      return fail(id, problem.text, 'check that this machine can reach a DNS resolver (or give one: --dns-server IP)');
    }
    if (domain.receive === 'forwarded') {
      return fail(
        id,
        `${problem.text}: mail to its five mailboxes cannot be delivered to the corporate mail system, so it never reaches the forward`,
        `restore the MX record(s) of ${domain.name} at the corporate mail system's DNS`,
      );
    }
    return fail(id, `${problem.text} (expected "10 ${ses}")`, setMxFix(domain, region, []));
  }
  const atSes = records.filter((record) => bare(record.exchange) === ses);
  if (domain.receive === 'forwarded') {
    const anySes = records.filter((record) => /^inbound-smtp\.[a-z0-9-]+\.amazonaws\.com$/.test(bare(record.exchange)));
    if (anySes.length > 0) {
      return fail(
        id,
        `${domain.name} is configured as forwarded, but its MX points at SES (${listed(records)}): SES rejects its five mailboxes (they are not in our rule), so ACM's mail to them bounces`,
        `point the MX of ${domain.name} back at the corporate mail system, or set "receive": "ses" for it in the configuration and redeploy`,
      );
    }
    return ok(id, `MX ${listed(records)}: the corporate mail system receives it (forwarded domain, not SES)`);
  }
  const others = records.filter((record) => bare(record.exchange) !== ses);
  if (atSes.length === 1 && others.length === 0 && atSes[0]?.priority === 10) {
    return ok(id, `MX 10 ${ses}`);
  }
  const why =
    atSes.length === 0
      ? `does not point at SES in ${region}`
      : others.length > 0
        ? 'has other MX records beside SES, which take a share of the mail'
        : 'points at SES with another priority';
  return fail(
    id,
    `MX of ${domain.name} is ${listed(records)}: it ${why} (expected exactly "10 ${ses}")`,
    setMxFix(domain, region, others),
  );
}

/** A name whose MX every resolver that answers the internet knows: asked only when one of ours had none. */
export const REFERENCE_DOMAIN = 'amazon.com';

/**
 * Every domain's MX. When some domain has none (NXDOMAIN or no MX), the resolver itself is asked about a name that
 * certainly has MX: a resolver that answers NXDOMAIN for everything (an offline machine, a captive or split-horizon
 * DNS) would otherwise send the operator to "restore" records that are fine.
 */
export async function dnsChecks(
  config: Pick<Configuration, 'validationDomains' | 'region'>,
  dns: MxResolver,
): Promise<CheckResult[]> {
  const unanswered = new Set<string>();
  const recording: MxResolver = {
    resolveMx: (domain) =>
      dns.resolveMx(domain).catch((error: unknown) => {
        if (lookupProblem(domain, error).kind !== 'failed') unanswered.add(`dns:${domain}`);
        throw error;
      }),
  };
  const checks = await Promise.all(config.validationDomains.map((domain) => mxCheck(domain, config.region, recording)));
  if (unanswered.size === 0) return checks;
  const resolverAnswers = await dns.resolveMx(REFERENCE_DOMAIN).then(
    (records) => records.length > 0,
    () => false,
  );
  if (resolverAnswers) return checks;
  return [
    fail(
      'dns-resolver',
      `the resolver has no MX for ${REFERENCE_DOMAIN} either: its answers are not the ones the internet (and ACM) sees`,
      "ask a resolver that answers for the internet (--dns-server 1.1.1.1), or fix this machine's DNS, then run the doctor again",
    ),
    ...checks.map((check) =>
      unanswered.has(check.id)
        ? fail(check.id, `not checked: the resolver does not answer (${check.detail})`, 'see dns-resolver')
        : check,
    ),
  ];
}
