/**
 * SES as the pipeline needs it: each SES-receiving domain a verified identity with DKIM working, our receipt rule
 * set the active one with exactly the configured recipients, the sender verified, and the account allowed to send
 * to anyone (out of the sandbox) and not paused.
 */
import {
  DescribeActiveReceiptRuleSetCommand,
  type DescribeActiveReceiptRuleSetCommandOutput,
  type SESClient,
} from '@aws-sdk/client-ses';
import {
  GetAccountCommand,
  type GetAccountCommandOutput,
  GetEmailIdentityCommand,
  type GetEmailIdentityCommandOutput,
  NotFoundException,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';
import { domainOf } from '../core/addresses.js';
import { type Configuration, receiptRecipients, sesReceivingDomains } from '../core/configuration/index.js';
import { type CheckResult, callFailed, fail, ok } from './check.js';

type Identity = GetEmailIdentityCommandOutput;

/** The identity, or null when SES has none of that name in this region. */
async function identityOf(sesv2: SESv2Client, name: string): Promise<Identity | null> {
  try {
    return await sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: name }));
  } catch (error) {
    if (error instanceof NotFoundException || (error as Error).name === 'NotFoundException') return null;
    throw error;
  }
}

/** Verified: `VerificationStatus` SUCCESS (older answers carry only `VerifiedForSendingStatus`). */
const verified = (identity: Identity) =>
  identity.VerificationStatus === undefined
    ? identity.VerifiedForSendingStatus === true
    : identity.VerificationStatus === 'SUCCESS';

function dkimRecords(domain: string, identity: Identity): string {
  const tokens = identity.DkimAttributes?.Tokens ?? [];
  if (tokens.length === 0) return `the three DKIM CNAME records SES gives for ${domain} (SES console, the identity)`;
  return tokens.map((token) => `"${token}._domainkey.${domain}. CNAME ${token}.dkim.amazonses.com"`).join(', ');
}

export async function receivingIdentityCheck(
  domain: string,
  config: Pick<Configuration, 'region' | 'validationDomains'>,
  sesv2: SESv2Client,
): Promise<CheckResult> {
  const id = `ses-identity:${domain}`;
  let identity: Identity | null;
  try {
    identity = await identityOf(sesv2, domain);
  } catch (error) {
    return callFailed(id, 'ses:GetEmailIdentity', config.region, error);
  }
  if (identity === null) {
    const existing = config.validationDomains.find((d) => d.name === domain)?.identity === 'existing';
    return fail(
      id,
      `SES in ${config.region} has no identity ${domain}: SES does not receive its mail`,
      existing
        ? `the configuration says the identity exists ("identity": "existing"): create it (aws sesv2 create-email-identity --email-identity ${domain} --region ${config.region}) and publish its DKIM records, or set "identity": "create" and redeploy`
        : `redeploy the stack (npx cdk deploy), which creates it; or check that "region" is the region it was deployed to`,
    );
  }
  const status = identity.VerificationStatus ?? (identity.VerifiedForSendingStatus ? 'SUCCESS' : 'NOT VERIFIED');
  const dkim = identity.DkimAttributes?.Status ?? 'NOT_STARTED';
  if (verified(identity) && dkim === 'SUCCESS') return ok(id, `verified, DKIM ${dkim}`);
  return fail(
    id,
    `identity ${domain}: verification ${status}, DKIM ${dkim} (both must be SUCCESS)`,
    `publish ${dkimRecords(domain, identity)}; SES checks them for up to 72 hours (PENDING until then; FAILED means it gave up: publish them, then aws sesv2 put-email-identity-dkim-attributes --email-identity ${domain} --signing-enabled --region ${config.region} makes it look again)`,
  );
}

/** Recipients of our rules only: a shared set (`ruleSet.mode` existing) holds other teams' rules too. */
const ourRule = (stackName: string) => (name: string | undefined) =>
  name?.startsWith(`${stackName}-acm-mail-`) === true;

export async function ruleSetCheck(
  config: Pick<Configuration, 'region' | 'ruleSet' | 'stackName' | 'validationDomains' | 'extraInboundAddresses'>,
  ses: SESClient,
): Promise<CheckResult> {
  const id = 'ses-rule-set';
  const ours = config.ruleSet.name;
  let active: DescribeActiveReceiptRuleSetCommandOutput;
  try {
    active = await ses.send(new DescribeActiveReceiptRuleSetCommand({}));
  } catch (error) {
    return callFailed(id, 'ses:DescribeActiveReceiptRuleSet', config.region, error);
  }
  const activeName = active.Metadata?.Name;
  if (activeName === undefined) {
    return fail(
      id,
      `no receipt rule set is active in ${config.region}: SES rejects all mail there`,
      `aws ses set-active-receipt-rule-set --rule-set-name ${ours} --region ${config.region}`,
    );
  }
  if (activeName !== ours) {
    return fail(
      id,
      `the active receipt rule set in ${config.region} is "${activeName}", not ours ("${ours}"): our rules do not run`,
      config.ruleSet.mode === 'create'
        ? `activating ours deactivates "${activeName}" and stops its mail: agree with its owners first, then aws ses set-active-receipt-rule-set --rule-set-name ${ours} --region ${config.region}; or add our rules to "${activeName}" ("ruleSet": {"mode": "existing", "name": "${activeName}"}) and redeploy`
        : `"${ours}" is the set named in the configuration ("mode": "existing"): reactivate it (aws ses set-active-receipt-rule-set --rule-set-name ${ours} --region ${config.region}) or name "${activeName}" in the configuration and redeploy`,
    );
  }
  const rules = (active.Rules ?? []).filter((rule) => ourRule(config.stackName)(rule.Name));
  if (rules.length === 0) {
    return fail(
      id,
      `"${ours}" is active but holds none of our rules (${config.stackName}-acm-mail-N)`,
      'redeploy the stack (npx cdk deploy) with this configuration',
    );
  }
  const disabled = rules.filter((rule) => rule.Enabled !== true).map((rule) => rule.Name);
  const present = new Set(rules.flatMap((rule) => rule.Recipients ?? []).map((r) => r.toLowerCase()));
  const wanted = new Set(receiptRecipients(config).map((r) => r.toLowerCase()));
  const missing = [...wanted].filter((address) => !present.has(address));
  const extra = [...present].filter((address) => !wanted.has(address));
  if (disabled.length === 0 && missing.length === 0 && extra.length === 0) {
    return ok(id, `"${ours}" is active; ${rules.length} rule(s) with the ${wanted.size} configured recipients`);
  }
  const problems = [
    disabled.length > 0 ? `rule(s) ${disabled.join(', ')} disabled` : null,
    missing.length > 0 ? `missing recipients (SES rejects their mail): ${missing.join(', ')}` : null,
    extra.length > 0 ? `recipients not in the configuration: ${extra.join(', ')}` : null,
  ].filter((problem) => problem !== null);
  return fail(
    id,
    `"${ours}" is active, but ${problems.join('; ')}`,
    'redeploy the stack with this configuration (npx cdk deploy): the rules and their recipients come from it; if the configuration is the one deployed, someone edited the rules by hand',
  );
}

export async function senderCheck(config: Pick<Configuration, 'region' | 'sender'>, sesv2: SESv2Client) {
  const id = 'ses-sender';
  const domain = domainOf(config.sender);
  try {
    const address = await identityOf(sesv2, config.sender);
    if (address !== null && verified(address)) return ok(id, `the sender ${config.sender} is a verified identity`);
    const domainIdentity = await identityOf(sesv2, domain);
    if (domainIdentity !== null && verified(domainIdentity)) {
      return ok(id, `the sender ${config.sender} is verified through its domain ${domain}`);
    }
    const found = [
      address ? `${config.sender} (${address.VerificationStatus})` : null,
      domainIdentity ? `${domain} (${domainIdentity.VerificationStatus})` : null,
    ]
      .filter((x) => x !== null)
      .join(', ');
    return fail(
      id,
      `the sender ${config.sender} is not verified in ${config.region}${found ? `: ${found}` : ': no identity for it or its domain'}; tickets, alerts and the digest cannot be sent`,
      domainIdentity
        ? `publish ${dkimRecords(domain, domainIdentity)} at ${domain}'s DNS`
        : `aws sesv2 create-email-identity --email-identity ${domain} --region ${config.region}, then publish the three DKIM CNAMEs it answers (or set "senderIdentity" in the configuration and redeploy: the stack creates it)`,
    );
  } catch (error) {
    return callFailed(id, 'ses:GetEmailIdentity', config.region, error);
  }
}

export async function sendingAccountChecks(region: string, sesv2: SESv2Client): Promise<CheckResult[]> {
  let account: GetAccountCommandOutput;
  try {
    account = await sesv2.send(new GetAccountCommand({}));
  } catch (error) {
    return [callFailed('ses-account', 'ses:GetAccount', region, error)];
  }
  const sandbox =
    account.ProductionAccessEnabled === true
      ? ok('ses-sandbox', `production access in ${region} (quota ${account.SendQuota?.Max24HourSend ?? '?'} a day)`)
      : fail(
          'ses-sandbox',
          `the account is in the SES sandbox in ${region}: mail goes only to verified addresses, 200 a day, so tickets to the owners' queues are refused`,
          `request production access: SES console, Account dashboard, "Request production access", or aws sesv2 put-account-details --production-access-enabled --mail-type TRANSACTIONAL --website-url <your site> --use-case-description "ACM validation mail routed to our ticket queues" --region ${region}`,
        );
  const sending =
    account.SendingEnabled === true
      ? ok('ses-sending', `sending enabled in ${region} (${account.EnforcementStatus ?? 'status unknown'})`)
      : fail(
          'ses-sending',
          `sending is paused for the account in ${region} (enforcement status ${account.EnforcementStatus ?? 'unknown'}): nothing the pipeline sends goes out`,
          account.EnforcementStatus === 'SHUTDOWN'
            ? "AWS paused it: read the SES console's reputation dashboard and ask AWS Support to resume sending once the cause is fixed"
            : `if your team paused it: aws sesv2 put-account-sending-attributes --sending-enabled --region ${region}`,
        );
  return [sandbox, sending];
}

export function receivingIdentityChecks(
  config: Pick<Configuration, 'region' | 'validationDomains'>,
  sesv2: SESv2Client,
) {
  return Promise.all(sesReceivingDomains(config).map((domain) => receivingIdentityCheck(domain, config, sesv2)));
}
