/**
 * `acm-mail doctor` against local stand-ins for AWS (HTTP stubs shaped as the API reference documents the answers,
 * dynalite for the state table) and a local DNS server: each check passing, and failing with its fix.
 */

import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { doctorClients } from '../../handlers/adapters/doctor-clients.js';
import { receiptRecipients } from '../../handlers/core/configuration/index.js';
import { DEPLOYED_OUTPUTS } from '../../handlers/core/deployment-contract.js';
import { probeAdvice } from '../../handlers/doctor/canary-checks.js';
import type { CheckResult } from '../../handlers/doctor/check.js';
import { humanReport, jsonReport } from '../../handlers/doctor/report.js';
import { LOCAL_CREDENTIALS } from '../../handlers/local/services.js';
import {
  ACCOUNT,
  CANARY,
  CANARY_SCHEDULE,
  type DoctorHarness,
  doctorConfiguration,
  healthyState,
  NOW,
  ROUTER,
  startDoctorHarness,
} from '../support/doctor-harness.js';

const SES_MX = [{ exchange: 'inbound-smtp.eu-west-1.amazonaws.com', priority: 10 }];
const HOUR = 3_600_000;
const hoursBefore = (hours: number) => new Date(NOW.getTime() - hours * HOUR).toISOString();

let h: DoctorHarness;
let table: string;
beforeAll(async () => {
  h = await startDoctorHarness();
  table = h.table;
  await h.seedRound('run-1', hoursBefore(3));
});
afterAll(() => h.stop());
beforeEach(() => {
  Object.assign(h.aws.state, healthyState(h.config, table));
  h.dns.zone.set('acm-mail.example.com', SES_MX);
  h.dns.zone.set('example.net', SES_MX);
  h.dns.zone.set('example.com', [{ exchange: 'mx1.corp.example.com', priority: 10 }]);
  h.aws.seen.length = 0;
});

const run = async (probe = false) => h.doctor()({ probe });
const check = (checks: readonly CheckResult[], id: string) => {
  const found = checks.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no check ${id} in ${checks.map((c) => c.id).join(', ')}`);
  return found;
};
const failing = (checks: readonly CheckResult[]) => checks.filter((c) => c.status === 'fail').map((c) => c.id);

describe('a healthy deployment', () => {
  it('passes every check, one per domain, identity and watched address', async () => {
    const report = await run();
    expect(report.passed).toBe(true);
    expect(report.account).toBe(ACCOUNT);
    expect(report.checks.map((c) => `${c.status} ${c.id}`).slice(0, 13)).toEqual([
      'ok aws-identity',
      'ok stack',
      'ok dns:example.com',
      'ok dns:acm-mail.example.com',
      'ok dns:example.net',
      'ok ses-identity:acm-mail.example.com',
      'ok ses-identity:example.net',
      'ok ses-rule-set',
      'ok ses-sender',
      'ok ses-sandbox',
      'ok ses-sending',
      'ok lambda-concurrency',
      'ok canary-schedule',
    ]);
    // The forwarded domain's five mailboxes (probeForwarding is on by default), ten SES mailboxes, the extra address.
    expect(report.checks.filter((c) => c.id.startsWith('canary:'))).toHaveLength(16);
    expect(report.checks.every((c) => c.fix === null)).toBe(true);
  });

  it('reports for people and for scripts', async () => {
    const report = await run();
    const text = humanReport(report);
    expect(text).toMatch(/^acm-mail doctor: account 111122223333, region eu-west-1, stack AcmValidationMail\n/);
    expect(text).toMatch(/\nok {4}dns:example\.net +MX 10 inbound-smtp\.eu-west-1\.amazonaws\.com\n/);
    expect(text).toMatch(/\nall 29 checks passed\n$/);
    const json = JSON.parse(jsonReport(report));
    expect(json).toMatchObject({ account: ACCOUNT, region: 'eu-west-1', passed: true });
    expect(json.checks[0]).toEqual({
      id: 'aws-identity',
      status: 'ok',
      detail: `checking account ${ACCOUNT} in eu-west-1 as arn:aws:sts::${ACCOUNT}:assumed-role/Operator/alice`,
      fix: null,
    });
  });

  it('indents each fix under its failing check, and counts the failures', async () => {
    h.aws.state.sesAccount = { ProductionAccessEnabled: false, SendingEnabled: true, EnforcementStatus: 'HEALTHY' };
    const text = humanReport(await run());
    expect(text).toMatch(
      /\nFAIL {2}ses-sandbox +the account is in the SES sandbox in eu-west-1.*\n {6} +fix: request production access/,
    );
    expect(text).toMatch(/\n1 of 29 checks failed\n$/);
  });
});

describe('identity first', () => {
  it('stops before asking AWS anything else when the credentials are another account', async () => {
    h.aws.state.caller = { account: '999988887777', arn: 'arn:aws:iam::999988887777:user/bob' };
    const report = await run();
    expect(check(report.checks, 'aws-identity')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('these credentials are account 999988887777'),
      fix: expect.stringContaining(`use credentials of account ${ACCOUNT}`),
    });
    expect(h.aws.seen).toEqual(['sts:GetCallerIdentity']);
    // DNS needs no credentials: it is still checked.
    expect(report.checks.map((c) => c.id)).toEqual([
      'aws-identity',
      'dns:example.com',
      'dns:acm-mail.example.com',
      'dns:example.net',
    ]);
    expect(report.passed).toBe(false);
  });

  it('says so when the shell has no credentials', async () => {
    const clients = doctorClients({ region: 'eu-west-1', endpoints: { sts: h.aws.endpoint } });
    const noCredentials = new STSClient({
      region: 'eu-west-1',
      endpoint: h.aws.endpoint,
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      },
    });
    const report = await h.doctor({ clients: { ...clients, sts: noCredentials } })({ probe: false });
    expect(check(report.checks, 'aws-identity')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^no usable AWS credentials in this shell \(CredentialsProviderError: Could not load/,
      ),
      fix: expect.stringContaining('aws sso login --profile'),
    });
    expect(report.account).toBeNull();
  });

  it('fails in seconds, not hangs, when an endpoint does not answer', async () => {
    const dead = doctorClients({
      region: 'eu-west-1',
      credentials: LOCAL_CREDENTIALS,
      endpoints: { sts: 'http://127.0.0.1:9' },
    });
    const started = Date.now();
    const report = await h.doctor({ clients: dead })({ probe: false });
    expect(check(report.checks, 'aws-identity')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^sts:GetCallerIdentity got no answer/),
    });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('stack', () => {
  it('names a stack that does not exist, and the checks that could not run', async () => {
    h.aws.state.stackOutputs = null;
    const report = await run();
    expect(check(report.checks, 'stack')).toMatchObject({
      status: 'fail',
      detail: 'there is no stack AcmValidationMail in eu-west-1',
      fix: expect.stringContaining('--stack NAME'),
    });
    expect(check(report.checks, 'lambda-concurrency')).toMatchObject({
      status: 'fail',
      detail: 'not checked: the stack has no output RouterFunction',
    });
    expect(check(report.checks, 'canary').detail).toBe('not checked: the stack has no output RequestTable');
  });

  it('names the outputs an older stack lacks', async () => {
    const { [DEPLOYED_OUTPUTS.canaryFunction]: _canary, ...older } = h.aws.state.stackOutputs ?? {};
    h.aws.state.stackOutputs = older;
    const report = await run(true);
    expect(check(report.checks, 'stack').detail).toMatch(/lacks output\(s\) CanaryFunction/);
    expect(check(report.checks, 'probe').detail).toBe('not checked: the stack has no output CanaryFunction');
  });
});

describe('DNS', () => {
  it('fails another MX beside SES and says which record to remove', async () => {
    h.dns.zone.set('example.net', [...SES_MX, { exchange: 'mx.backup.example.net', priority: 20 }]);
    const result = check((await run()).checks, 'dns:example.net');
    expect(result).toEqual({
      id: 'dns:example.net',
      status: 'fail',
      detail:
        'MX of example.net is 10 inbound-smtp.eu-west-1.amazonaws.com, 20 mx.backup.example.net: it has other MX records beside SES, which take a share of the mail (expected exactly "10 inbound-smtp.eu-west-1.amazonaws.com")',
      fix: 'set exactly one MX record at the DNS provider of example.net: "example.net. 300 IN MX 10 inbound-smtp.eu-west-1.amazonaws.com"; remove "20 mx.backup.example.net"',
    });
  });

  it('fails NXDOMAIN and a domain without MX', async () => {
    h.dns.zone.delete('example.net');
    h.dns.zone.set('acm-mail.example.com', []);
    const { checks } = await run();
    expect(check(checks, 'dns:example.net').detail).toBe(
      'example.net does not exist in DNS (NXDOMAIN) (expected "10 inbound-smtp.eu-west-1.amazonaws.com")',
    );
    expect(check(checks, 'dns:acm-mail.example.com').detail).toBe(
      'acm-mail.example.com has no MX record (expected "10 inbound-smtp.eu-west-1.amazonaws.com")',
    );
  });

  it('blames the resolver, not the records, when it has no MX for amazon.com either', async () => {
    h.dns.zone.delete('example.net');
    h.dns.zone.delete('amazon.com');
    try {
      const { checks } = await run();
      expect(check(checks, 'dns-resolver')).toMatchObject({
        status: 'fail',
        detail:
          'the resolver has no MX for amazon.com either: its answers are not the ones the internet (and ACM) sees',
        fix: expect.stringContaining('--dns-server 1.1.1.1'),
      });
      expect(check(checks, 'dns:example.net').detail).toMatch(/^not checked: the resolver does not answer/);
      expect(check(checks, 'dns:acm-mail.example.com').status).toBe('ok');
    } finally {
      h.dns.zone.set('amazon.com', [{ exchange: 'amazon-smtp.amazon.com', priority: 5 }]);
    }
  });

  it('gives the Route 53 command for a domain whose zone the stack manages', async () => {
    h.dns.zone.set('acm-mail.example.com', [{ exchange: 'inbound-smtp.us-east-1.amazonaws.com', priority: 10 }]);
    const result = check((await run()).checks, 'dns:acm-mail.example.com');
    expect(result.detail).toContain('it does not point at SES in eu-west-1');
    expect(result.fix).toContain(
      `aws route53 change-resource-record-sets --hosted-zone-id Z0EXAMPLE1234567890AB --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"acm-mail.example.com.","Type":"MX","TTL":300,"ResourceRecords":[{"Value":"10 inbound-smtp.eu-west-1.amazonaws.com"}]}}]}'`,
    );
  });

  it('fails a forwarded domain whose MX points at SES', async () => {
    h.dns.zone.set('example.com', SES_MX);
    const result = check((await run()).checks, 'dns:example.com');
    expect(result.status).toBe('fail');
    expect(result.detail).toContain('is configured as forwarded, but its MX points at SES');
    expect(result.fix).toContain('point the MX of example.com back at the corporate mail system');
  });
});

describe('SES', () => {
  it('fails an identity that does not exist, and one whose DKIM is pending, with its records', async () => {
    delete h.aws.state.identities['example.net'];
    h.aws.state.identities['acm-mail.example.com'] = {
      VerificationStatus: 'PENDING',
      VerifiedForSendingStatus: false,
      DkimAttributes: { Status: 'PENDING', Tokens: ['abc', 'def', 'ghi'], SigningEnabled: true },
    };
    const { checks } = await run();
    expect(check(checks, 'ses-identity:example.net')).toMatchObject({
      detail: 'SES in eu-west-1 has no identity example.net: SES does not receive its mail',
      fix: expect.stringContaining('redeploy the stack'),
    });
    const pending = check(checks, 'ses-identity:acm-mail.example.com');
    expect(pending.detail).toBe(
      'identity acm-mail.example.com: verification PENDING, DKIM PENDING (both must be SUCCESS)',
    );
    expect(pending.fix).toContain(
      '"abc._domainkey.acm-mail.example.com. CNAME abc.dkim.amazonses.com", "def._domainkey.acm-mail.example.com. CNAME def.dkim.amazonses.com"',
    );
  });

  it('fails when no rule set is active, or another one is', async () => {
    h.aws.state.activeRuleSet = null;
    expect(check((await run()).checks, 'ses-rule-set')).toMatchObject({
      detail: 'no receipt rule set is active in eu-west-1: SES rejects all mail there',
      fix: 'aws ses set-active-receipt-rule-set --rule-set-name acm-validation-mail --region eu-west-1',
    });
    h.aws.state.activeRuleSet = { name: 'marketing-inbound', rules: [] };
    const other = check((await run()).checks, 'ses-rule-set');
    expect(other.detail).toBe(
      'the active receipt rule set in eu-west-1 is "marketing-inbound", not ours ("acm-validation-mail"): our rules do not run',
    );
    expect(other.fix).toContain('activating ours deactivates "marketing-inbound"');
  });

  it("names the missing and the extra recipients of our rules, ignoring other teams' rules", async () => {
    const wanted = receiptRecipients(h.config);
    h.aws.state.activeRuleSet = {
      name: 'acm-validation-mail',
      rules: [
        {
          name: 'AcmValidationMail-acm-mail-1',
          enabled: true,
          recipients: [...wanted.filter((a) => a !== 'webmaster@example.net'), 'old@example.net'],
        },
        { name: 'someone-else', enabled: true, recipients: ['sales@example.net'] },
      ],
    };
    expect(check((await run()).checks, 'ses-rule-set').detail).toBe(
      '"acm-validation-mail" is active, but missing recipients (SES rejects their mail): webmaster@example.net; recipients not in the configuration: old@example.net',
    );
  });

  it('checks the sender by its address or its domain', async () => {
    delete h.aws.state.identities['notify.example.org'];
    const unverified = check((await run()).checks, 'ses-sender');
    expect(unverified.detail).toBe(
      'the sender acm-mail@notify.example.org is not verified in eu-west-1: no identity for it or its domain; tickets, alerts and the digest cannot be sent',
    );
    expect(unverified.fix).toContain(
      'aws sesv2 create-email-identity --email-identity notify.example.org --region eu-west-1',
    );
    h.aws.state.identities['acm-mail@notify.example.org'] = {
      VerificationStatus: 'SUCCESS',
      VerifiedForSendingStatus: true,
    };
    expect(check((await run()).checks, 'ses-sender')).toMatchObject({ status: 'ok' });
  });

  it('fails the sandbox and paused sending, each with its fix', async () => {
    h.aws.state.sesAccount = { ProductionAccessEnabled: false, SendingEnabled: false, EnforcementStatus: 'SHUTDOWN' };
    const { checks } = await run();
    expect(check(checks, 'ses-sandbox').fix).toContain('aws sesv2 put-account-details --production-access-enabled');
    expect(check(checks, 'ses-sending')).toMatchObject({
      detail:
        'sending is paused for the account in eu-west-1 (enforcement status SHUTDOWN): nothing the pipeline sends goes out',
      fix: expect.stringContaining('AWS paused it'),
    });
  });

  it('names the action an IAM policy denies', async () => {
    h.aws.state.denied.add('DescribeActiveReceiptRuleSet');
    expect(check((await run()).checks, 'ses-rule-set')).toMatchObject({
      detail: expect.stringMatching(/^ses:DescribeActiveReceiptRuleSet was denied: AccessDenied/),
      fix: expect.stringMatching(/^allow ses:DescribeActiveReceiptRuleSet to the identity this shell uses/),
    });
  });
});

describe("the router's reserved concurrency", () => {
  it('fails a missing reservation that fits: redeploy', async () => {
    h.aws.state.reservedConcurrency = {};
    const result = check((await run()).checks, 'lambda-concurrency');
    expect(result.detail).toBe(
      "the router has no reserved concurrency (router.reservedConcurrency is 10); the account's pool in eu-west-1 is 1000, 990 of it unreserved: 10 fits",
    );
    expect(result.fix).toMatch(/^redeploy the stack/);
  });

  it('fails a reservation that cannot fit a small pool, with the quota request', async () => {
    h.aws.state.reservedConcurrency = {};
    h.aws.state.accountLimit = { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 };
    const result = check((await run()).checks, 'lambda-concurrency');
    expect(result.detail).toContain('Lambda keeps 100 unreserved: 10 does not fit (0 more can be reserved)');
    expect(result.fix).toBe(
      'raise the pool: aws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384 --desired-value 110 --region eu-west-1',
    );
  });

  it('says what the pool allows when the configuration asks for more than is reserved', async () => {
    h.aws.state.reservedConcurrency = { [ROUTER]: 5 };
    h.aws.state.accountLimit = { ConcurrentExecutions: 110, UnreservedConcurrentExecutions: 103 };
    const result = check((await run()).checks, 'lambda-concurrency');
    expect(result.detail).toContain('the router reserves 5, the configuration says 10');
    expect(result.fix).toContain('--desired-value 112');
    expect(result.fix).toContain('or lower router.reservedConcurrency to 8 and redeploy');
  });
});

describe("the canary's daily schedule", () => {
  it('fails a disabled schedule: no probes go out, and no error says so anywhere else', async () => {
    const schedule = h.aws.state.schedules[CANARY_SCHEDULE];
    if (schedule) schedule.State = 'DISABLED';
    const result = check((await run()).checks, 'canary-schedule');
    expect(result).toMatchObject({
      status: 'fail',
      detail: `the canary's daily schedule ${CANARY_SCHEDULE} is DISABLED: no probes are sent`,
      fix: expect.stringContaining('redeploy the stack (npx cdk deploy)'),
    });
    expect(h.aws.seen).toContain('scheduler:GetSchedule');
  });

  it('fails a missing schedule, and one that drifted from the configuration', async () => {
    h.aws.state.schedules = {};
    expect(check((await run()).checks, 'canary-schedule').detail).toBe(
      `the canary's daily schedule ${CANARY_SCHEDULE} does not exist: no probes are sent`,
    );
    h.aws.state.schedules = {
      [CANARY_SCHEDULE]: {
        State: 'ENABLED',
        ScheduleExpression: 'cron(0 6 ? * MON *)',
        ScheduleExpressionTimezone: 'UTC',
      },
    };
    expect(check((await run()).checks, 'canary-schedule').detail).toBe(
      "the canary's daily schedule runs cron(0 6 ? * MON *) in UTC, the configuration says cron(0 6 * * ? *) in Europe/Berlin",
    );
  });

  it('names the action when GetSchedule is denied', async () => {
    h.aws.state.denied.add('GetSchedule');
    expect(check((await run()).checks, 'canary-schedule').detail).toMatch(/^scheduler:GetSchedule was denied/);
  });
});

describe("the canary's last runs", () => {
  it('fails an address never probed', async () => {
    await h.useNewTable();
    const result = check((await run()).checks, 'canary:admin@example.net');
    expect(result).toMatchObject({ status: 'fail', detail: 'admin@example.net was never probed' });
    expect(result.fix).toContain('--probe');
  });

  it("fails an address whose last probe did not arrive, with its last success and the path's advice", async () => {
    const store = await h.useNewTable();
    await h.seedRound('run-1', hoursBefore(27), [], store);
    await h.seedRound('run-2', hoursBefore(3), ['admin@example.net', 'webmaster@example.com'], store);
    const { checks } = await run();
    expect(check(checks, 'canary:admin@example.net')).toEqual({
      id: 'canary:admin@example.net',
      status: 'fail',
      detail:
        'the last probe to admin@example.net (sent 2026-11-26T06:00:00.000Z (3 h ago)) has not arrived, found missing 2026-11-26T06:30:00.000Z (3 h ago); last success 2026-11-25T06:01:00.000Z (27 h ago)',
      fix: 'check the MX of example.net (the dns check above), that rule set "acm-validation-mail" is active in eu-west-1 with admin@example.net in our rule, that SES may still send (ses-sending), and the router\'s log for the probe',
    });
    expect(check(checks, 'canary:webmaster@example.com').fix).toBe(
      'the probe went to the corporate mailbox webmaster@example.com: check that the corporate mail system still forwards it to acm-forwarded@acm-mail.example.com unchanged, then the MX and rule set checks above',
    );
    expect(failing(checks)).toEqual(['canary:webmaster@example.com', 'canary:admin@example.net']);
  });

  it('fails a canary that stopped running, and passes a round still on its way', async () => {
    const store = await h.useNewTable();
    await h.seedRound('run-1', hoursBefore(40), [], store);
    const stale = check((await run()).checks, 'canary:admin@example.net');
    expect(stale.detail).toBe(
      'the last probe was sent 2026-11-24T17:00:00.000Z (40 h ago): the canary has not run for over 36 h (last success 2026-11-24T17:01:00.000Z (40 h ago))',
    );
    const fresh = await h.useNewTable();
    await h.seedRound('run-1', hoursBefore(24), [], fresh);
    await fresh.recordProbeSent(
      {
        runId: 'run-2',
        address: 'admin@example.net',
        domain: 'example.net',
        path: 'ses',
        sentAt: new Date(NOW.getTime() - 5 * 60_000).toISOString(),
        checkAt: new Date(NOW.getTime() + 25 * 60_000).toISOString(),
        arrivedAt: null,
        arrivalMessageId: null,
        missingAlertedAt: null,
        lateClearedAt: null,
      },
      2_000_000_000,
    );
    expect(check((await run()).checks, 'canary:admin@example.net')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('is on its way; the one before arrived'),
    });
  });

  it('advises by the path the mail takes: an extra address goes straight to SES', () => {
    expect(
      probeAdvice(
        { address: 'acm-forwarded@acm-mail.example.com', domain: 'acm-mail.example.com', path: 'extra' },
        h.config,
      ),
    ).toBe(
      "mail to acm-forwarded@acm-mail.example.com goes straight to SES: check the MX of acm-mail.example.com and that acm-forwarded@acm-mail.example.com is in our rule's recipients (ses-rule-set)",
    );
  });

  it('says the canary is off without failing, and expects no canary function in the stack then', async () => {
    const off = await startDoctorHarness(doctorConfiguration((config) => (config.canary = { enabled: false })));
    try {
      const { [DEPLOYED_OUTPUTS.canaryFunction]: _canary, ...withoutCanary } = off.aws.state.stackOutputs ?? {};
      off.aws.state.stackOutputs = withoutCanary;
      const report = await off.doctor()({ probe: false });
      expect(check(report.checks, 'stack').status).toBe('ok');
      expect(check(report.checks, 'canary')).toEqual({
        id: 'canary',
        status: 'info',
        detail: 'the mailbox canary is turned off in the configuration (canary.enabled): nothing probes the addresses',
        fix: null,
      });
      expect(report.passed).toBe(true);
      const probed = await off.doctor()({ probe: true });
      expect(check(probed.checks, 'probe')).toMatchObject({
        status: 'fail',
        detail:
          'not sent: the canary is turned off in the configuration (canary.enabled), so the stack has no canary function',
      });
      expect(off.aws.seen.filter((call) => call.startsWith('lambda:Invoke'))).toEqual([]);
    } finally {
      await off.stop();
    }
  });
});

describe('--probe', () => {
  it('invokes the canary, waits for each probe and fails the one that never came, with its advice', async () => {
    const store = await h.useNewTable();
    await h.seedRound('run-1', hoursBefore(3), [], store);
    const sentAt = NOW.toISOString();
    const addresses = ['admin@example.net', 'acm-forwarded@acm-mail.example.com', 'hostmaster@example.com'];
    const invoked: unknown[] = [];
    h.aws.state.invoke = async (event) => {
      invoked.push(event);
      for (const address of addresses) {
        const target = { address, domain: address.split('@')[1] as string, path: 'ses' as const };
        await store.recordProbeSent(
          {
            runId: 'run-9',
            ...target,
            sentAt,
            checkAt: sentAt,
            arrivedAt: null,
            arrivalMessageId: null,
            missingAlertedAt: null,
            lateClearedAt: null,
          },
          2_000_000_000,
        );
      }
      return {
        payload: {
          action: 'send-round',
          runId: 'run-9',
          checkAt: sentAt,
          probes: addresses.map((address) => ({ address, sentAt })),
        },
      };
    };
    // The clock moves a minute per poll; the router records one arrival per poll, never the third address's.
    let minutes = 0;
    const arrivals: string[] = [];
    const report = await h.doctor({
      clock: () => new Date(NOW.getTime() + minutes * 60_000),
      sleep: async () => {
        minutes += 1;
        const next = addresses[minutes - 1];
        if (next !== undefined && next !== 'hostmaster@example.com') {
          await store.recordProbeArrival(
            'run-9',
            next,
            new Date(NOW.getTime() + minutes * 60_000).toISOString(),
            `m-${minutes}`,
          );
        }
      },
      onArrival: (address, seconds) => arrivals.push(`${address} ${seconds}`),
    })({ probe: true });
    expect(invoked).toEqual([{ action: 'send-round', trigger: 'doctor' }]);
    expect(h.aws.seen).toContain(`lambda:Invoke ${CANARY}`);
    expect(arrivals).toEqual(['admin@example.net 60', 'acm-forwarded@acm-mail.example.com 120']);
    // It stopped waiting when canary.arrivalMinutes (30) had passed.
    expect(minutes).toBe(30);
    expect(report.checks.filter((c) => c.id.startsWith('probe:'))).toEqual([
      { id: 'probe:admin@example.net', status: 'ok', detail: 'arrived 60 s after it was sent (run run-9)', fix: null },
      {
        id: 'probe:acm-forwarded@acm-mail.example.com',
        status: 'ok',
        detail: 'arrived 120 s after it was sent (run run-9)',
        fix: null,
      },
      {
        id: 'probe:hostmaster@example.com',
        status: 'fail',
        detail: 'the probe sent 2026-11-26T09:00:00.000Z has not arrived within 30 min (run run-9)',
        fix: expect.stringContaining('the probe went to the corporate mailbox hostmaster@example.com'),
      },
    ]);
    expect(report.passed).toBe(false);
  });

  it("fails with the function's error when the canary fails", async () => {
    h.aws.state.invoke = async () => ({
      payload: { errorType: 'Error', errorMessage: 'probe key secret not found' },
      functionError: 'Unhandled',
    });
    const result = check((await run(true)).checks, 'probe');
    expect(result.detail).toBe(
      `the canary function ${CANARY} failed (Unhandled): {"errorType":"Error","errorMessage":"probe key secret not found"}`,
    );
    expect(result.fix).toContain("read the canary function's log");
  });

  it('never retries the invocation, which would send a second round', async () => {
    let calls = 0;
    h.aws.state.invoke = async () => {
      calls += 1;
      return new Promise(() => {});
    };
    // The doctor's own clients, with a short invocation timeout so that the test does not wait two minutes.
    const clients = doctorClients({
      region: 'eu-west-1',
      credentials: LOCAL_CREDENTIALS,
      invokeTimeoutMs: 300,
      endpoints: {
        sts: h.aws.endpoint,
        cloudformation: h.aws.endpoint,
        ses: h.aws.endpoint,
        sesv2: h.aws.endpoint,
        lambda: h.aws.endpoint,
        dynamodb: h.dynamoEndpoint,
      },
    });
    const result = check((await h.doctor({ clients })({ probe: true })).checks, 'probe');
    expect(result.detail).toMatch(/^lambda:InvokeFunction got no answer/);
    expect(calls).toBe(1);
  });
});
