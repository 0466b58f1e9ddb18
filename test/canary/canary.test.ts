/** The canary function's logic over in-memory ports, with a fixed clock. */
import { describe, expect, it } from 'vitest';
import { countingMetrics } from '../../handlers/adapters/observability.js';
import { type CanaryDeps, makeCanary, PROBE_MISSING_ALERT } from '../../handlers/canary/canary.js';
import { ownersOfDomain } from '../../handlers/core/canary/alert-recipients.js';
import { missingProbeAnchor, missingProbeSubject } from '../../handlers/core/canary/missing-alert.js';
import { probeTargets } from '../../handlers/core/canary/targets.js';
import { PROBE_HEADER, verifyProbeToken } from '../../handlers/core/canary/token.js';
import type { Configuration } from '../../handlers/core/configuration/index.js';
import type { CanaryResult } from '../../handlers/ports/canary.js';
import type { Mailer, OutgoingMail } from '../../handlers/ports/mail.js';
import { exampleConfiguration } from '../support/configuration.js';
import { fixedProbeKey, inMemoryCanaryStore, recordingCheckScheduler } from '../support/in-memory-canary.js';
import { recordingLog, recordingNotifier } from '../support/in-memory-ports.js';

const SENT_AT = new Date('2026-11-26T06:00:00.000Z');

function recordingProbeMailer(failFor: ReadonlySet<string> = new Set()): Mailer & { readonly mails: OutgoingMail[] } {
  const mails: OutgoingMail[] = [];
  return {
    mails,
    async sendMail(mail) {
      if (mail.to.some((address) => failFor.has(address))) throw new Error('Throttling: Maximum sending rate exceeded');
      mails.push(mail);
      return `probe-${mails.length}`;
    },
  };
}

function canaryWith(options: { configuration?: Configuration; failFor?: ReadonlySet<string> } = {}) {
  let now = SENT_AT;
  let counter = 0;
  const ports = {
    configuration: options.configuration ?? exampleConfiguration(),
    probeKeys: fixedProbeKey(),
    store: inMemoryCanaryStore(),
    checks: recordingCheckScheduler(),
    probeMailer: recordingProbeMailer(options.failFor),
    alerts: recordingNotifier(),
    metrics: countingMetrics(),
    logger: recordingLog(),
    clock: () => now,
    // Distinct, predictable bytes: every nonce differs, and the run id is known.
    randomBytes: (size: number) => {
      counter += 1;
      return Buffer.alloc(size, counter);
    },
  } satisfies CanaryDeps;
  return {
    ...ports,
    canary: makeCanary(ports),
    setNow: (at: Date) => {
      now = at;
    },
  };
}

type SendRound = Extract<CanaryResult, { action: 'send-round' }>;
type CheckRound = Extract<CanaryResult, { action: 'check-round' }>;

describe('a send round', () => {
  it('sends one probe to every target, each with a token that verifies for its own address and run', async () => {
    const { canary, probeMailer, probeKeys, configuration } = canaryWith();
    const result = (await canary({ action: 'send-round', trigger: 'schedule' })) as SendRound;

    const targets = probeTargets(configuration);
    expect(targets).toHaveLength(16);
    expect(probeMailer.mails.map((mail) => mail.to)).toEqual(targets.map((target) => [target.address]));
    for (const mail of probeMailer.mails) {
      const check = verifyProbeToken(mail.headers?.[PROBE_HEADER] ?? '', probeKeys.key, SENT_AT);
      expect(check.ok && check.token).toMatchObject({
        runId: result.runId,
        address: mail.to[0],
        sentAt: '2026-11-26T06:00:00Z',
      });
    }
    const nonces = probeMailer.mails.map((mail) => /nonce=([^;]+)/.exec(mail.headers?.[PROBE_HEADER] ?? '')?.[1]);
    expect(new Set(nonces).size).toBe(16);
    expect(result.runId).toMatch(/^20261126T060000Z-[0-9a-f]{8}$/);
    expect(result.probes).toHaveLength(16);
  });

  it('records every probe with its check time and asks for the check at that time', async () => {
    const { canary, store, checks } = canaryWith();
    const result = (await canary({ action: 'send-round' })) as SendRound;

    const probes = await store.probesOfRun(result.runId);
    expect(probes).toHaveLength(16);
    expect(probes[0]).toEqual({
      runId: result.runId,
      address: 'admin@example.com',
      domain: 'example.com',
      path: 'forwarded',
      sentAt: '2026-11-26T06:00:00Z',
      checkAt: '2026-11-26T06:30:00.000Z',
      arrivedAt: null,
      arrivalMessageId: null,
      missingAlertedAt: null,
      lateClearedAt: null,
    });
    expect(checks.checks).toEqual([{ runId: result.runId, at: new Date('2026-11-26T06:30:00.000Z') }]);
    expect(result.checkAt).toBe('2026-11-26T06:30:00.000Z');
  });

  it('sends the other probes when one send fails, keeps the failed one recorded, and logs its address only', async () => {
    const { canary, probeMailer, store, logger, checks } = canaryWith({ failFor: new Set(['admin@example.net']) });
    const result = (await canary({ action: 'send-round' })) as SendRound;

    expect(probeMailer.mails).toHaveLength(15);
    expect(result.probes.map((probe) => probe.address)).not.toContain('admin@example.net');
    expect((await store.probesOfRun(result.runId)).map((probe) => probe.address)).toContain('admin@example.net');
    const failure = logger.lines.find((line) => line.message === 'probe not sent');
    expect(failure?.extra).toMatchObject({ address: 'admin@example.net', runId: result.runId });
    // Never a token in the logs: it would let anyone reading them forge an arrival of this run.
    expect(JSON.stringify(logger.lines)).not.toContain('mac=');
    expect(checks.checks).toHaveLength(1);
  });
});

describe('a check round', () => {
  async function roundWithArrivals(arrivedAddresses: readonly string[]) {
    const setup = canaryWith();
    const sent = (await setup.canary({ action: 'send-round' })) as SendRound;
    for (const address of arrivedAddresses) {
      await setup.store.recordProbeArrival(sent.runId, address, '2026-11-26T06:01:10.000Z', `ses-${address}`);
    }
    setup.setNow(new Date('2026-11-26T06:30:00.000Z'));
    return { ...setup, runId: sent.runId };
  }

  it('alerts exactly the missing probes, once each, to the security contact and the domain owners', async () => {
    const everyAddress = probeTargets(exampleConfiguration()).map((target) => target.address);
    const missing = ['admin@example.net', 'webmaster@example.com', 'acm-forwarded@acm-mail.example.com'];
    const { canary, alerts, runId, configuration } = await roundWithArrivals(
      everyAddress.filter((address) => !missing.includes(address)),
    );

    const result = (await canary({ action: 'check-round', runId })) as CheckRound;

    expect([...result.missing].sort()).toEqual([...missing].sort());
    expect(result.arrived).toHaveLength(13);
    expect(alerts.mails.map((mail) => mail.subject).sort()).toEqual(
      missing.map((address) => missingProbeSubject(address, runId)).sort(),
    );
    const alertTo = (address: string) =>
      alerts.mails.find((mail) => mail.subject === missingProbeSubject(address, runId));
    const to = (address: string) => alertTo(address)?.to;
    // No rule matches example.net itself (shop.example.net's is narrower): the fallback owner's.
    expect(to('admin@example.net')).toEqual(['security@example.org', 'platform-leads@example.org']);
    expect(to('webmaster@example.com')).toEqual(['security@example.org', 'platform-leads@example.org']);
    expect(to('acm-forwarded@acm-mail.example.com')).toEqual(['security@example.org', 'platform-leads@example.org']);
    const anchor = missingProbeAnchor(runId, 'admin@example.net', 'notify.example.org');
    expect(alertTo('admin@example.net')?.references).toEqual([anchor]);
    expect(alerts.publications.map((publication) => publication.message.address).sort()).toEqual([...missing].sort());
    expect(alerts.publications[0]).toMatchObject({
      topic: 'alerts',
      attributes: { alert: PROBE_MISSING_ALERT },
      message: { type: 'canary-alert', alert: PROBE_MISSING_ALERT, runId },
    });
    expect(configuration.securityContact).toBe('security@example.org');
  });

  it('alerts nothing on a second check of the same run', async () => {
    const { canary, alerts, runId } = await roundWithArrivals(['admin@example.net']);
    await canary({ action: 'check-round', runId });
    const first = alerts.mails.length;
    await canary({ action: 'check-round', runId });
    expect(first).toBe(15);
    expect(alerts.mails).toHaveLength(15);
    expect(alerts.publications).toHaveLength(15);
  });

  it('emits ProbeArrived 1 for each arrived probe and 0 for each missing one, by Address', async () => {
    const { canary, metrics, runId } = await roundWithArrivals(['admin@example.net', 'postmaster@example.com']);
    await canary({ action: 'check-round', runId });

    const byAddress = Object.fromEntries(
      metrics.measured.map((value) => [value.dimensions.Address, [value.name, value.value]]),
    );
    expect(metrics.measured).toHaveLength(16);
    expect(byAddress['admin@example.net']).toEqual(['ProbeArrived', 1]);
    expect(byAddress['postmaster@example.com']).toEqual(['ProbeArrived', 1]);
    expect(byAddress['hostmaster@example.net']).toEqual(['ProbeArrived', 0]);
    expect(metrics.measured.every((value) => Object.keys(value.dimensions).join() === 'Address')).toBe(true);
  });

  it('says in the alert when the address last worked', async () => {
    const setup = canaryWith();
    const first = (await setup.canary({ action: 'send-round' })) as SendRound;
    await setup.store.recordProbeArrival(first.runId, 'admin@example.net', '2026-11-26T06:02:00.000Z', 'ses-1');
    setup.setNow(new Date('2026-11-27T06:00:00.000Z'));
    const second = (await setup.canary({ action: 'send-round' })) as SendRound;
    setup.setNow(new Date('2026-11-27T06:30:00.000Z'));
    await setup.canary({ action: 'check-round', runId: second.runId });

    const alert = setup.alerts.mails.find(
      (mail) => mail.subject === missingProbeSubject('admin@example.net', second.runId),
    );
    expect(alert?.text).toMatch(/Last seen working: +2026-11-26 06:02 UTC \(probe sent 2026-11-26 06:00 UTC\)/);
    const never = setup.alerts.mails.find((mail) => mail.subject.includes('hostmaster@example.net'));
    expect(never?.text).toContain('never: no probe to this address has arrived');
  });

  it('alerts the others when one alert mail fails, and still publishes that one on the topic', async () => {
    const { canary, alerts, runId, logger } = await roundWithArrivals([]);
    const send = alerts.sendMail.bind(alerts);
    alerts.sendMail = async (mail) => {
      if (mail.subject.includes('admin@example.net')) throw new Error('MessageRejected');
      return send(mail);
    };
    await canary({ action: 'check-round', runId });
    expect(alerts.mails).toHaveLength(15);
    expect(alerts.publications).toHaveLength(16);
    expect(logger.lines.find((line) => line.message === 'missing-probe alert failed')?.extra).toMatchObject({
      address: 'admin@example.net',
    });
  });
});

describe('the missing-probe alert', () => {
  async function alertsOfAFullyMissingRun() {
    const setup = canaryWith();
    const sent = (await setup.canary({ action: 'send-round' })) as SendRound;
    setup.setNow(new Date('2026-11-26T06:30:00.000Z'));
    await setup.canary({ action: 'check-round', runId: sent.runId });
    const of = (address: string) => {
      const mail = setup.alerts.mails.find((candidate) => candidate.subject.includes(` ${address} `));
      if (mail === undefined) throw new Error(`no alert for ${address}`);
      return mail;
    };
    return { of, mails: setup.alerts.mails };
  }

  it('holds no link, in text or HTML', async () => {
    const { mails } = await alertsOfAFullyMissingRun();
    for (const mail of mails) {
      expect(`${mail.text}\n${mail.html}`).not.toMatch(/https?:|www\.|<a[\s>]|href=/i);
    }
  });

  it('says what to check for an SES-receiving address: MX, rule set, SES sending, then doctor', async () => {
    const { of } = await alertsOfAFullyMissingRun();
    const text = of('admin@example.net').text;
    const order = [
      'MX: example.net must have exactly the MX record "10 inbound-smtp.eu-west-1.amazonaws.com"',
      'Receipt rule set: "acm-validation-mail" must be the active rule set in eu-west-1',
      'list admin@example.net among their recipients',
      'SES sending: the account must be able to send in eu-west-1',
      'npx acm-mail doctor --config <your configuration file> --probe',
    ].map((phrase) => text.indexOf(phrase));
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('Path:              ses');
    expect(text).not.toContain('Corporate forward');
  });

  it('says to check the corporate forward first for a forwarded address, then the receiving side', async () => {
    const { of } = await alertsOfAFullyMissingRun();
    const text = of('hostmaster@example.com').text;
    const forward = text.indexOf(
      '1. Corporate forward: the corporate mail system must still forward hostmaster@example.com to acm-forwarded@acm-mail.example.com',
    );
    const mx = text.indexOf('2. MX: acm-mail.example.com must have exactly the MX record');
    const ruleSet = text.indexOf('list acm-forwarded@acm-mail.example.com among their recipients');
    expect(forward).toBeGreaterThan(0);
    expect(mx).toBeGreaterThan(forward);
    expect(ruleSet).toBeGreaterThan(mx);
  });

  it('says what to check for an extra inbound address: its own domain MX and rule recipients', async () => {
    const { of } = await alertsOfAFullyMissingRun();
    const text = of('acm-forwarded@acm-mail.example.com').text;
    expect(text).toContain('1. MX: acm-mail.example.com must have exactly the MX record');
    expect(text).toContain('list acm-forwarded@acm-mail.example.com among their recipients');
    expect(text).toContain('Path:              extra');
  });

  it('has a stable subject and a Message-ID-shaped anchor per run and address', () => {
    expect(missingProbeSubject('admin@example.net', '20261126T060000Z-01010101')).toBe(
      '[ACM canary] No probe arrived at admin@example.net (run 20261126T060000Z-01010101)',
    );
    const anchor = missingProbeAnchor('20261126T060000Z-01010101', 'admin@example.net', 'notify.example.org');
    expect(anchor).toMatch(/^<acm-canary\.[0-9a-f]{32}@notify\.example\.org>$/);
    expect(missingProbeAnchor('20261126T060000Z-01010101', 'admin@example.net', 'notify.example.org')).toBe(anchor);
    expect(missingProbeAnchor('20261126T060000Z-01010101', 'webmaster@example.net', 'notify.example.org')).not.toBe(
      anchor,
    );
  });
});

describe('the owners of a validation domain', () => {
  it('are those whose domain rules match it as the router matches, else the fallback owner', () => {
    const config = exampleConfiguration();
    const names = (domain: string) => ownersOfDomain(domain, config).map((owner) => owner.name);
    expect(names('acm-mail.example.com')).toEqual(['platform']);
    expect(names('shop.example.net')).toEqual(['web-shop']);
    // Both rules match: platform's example.com and web-shop's shop.example.com.
    expect(names('eu.shop.example.com')).toEqual(['platform', 'web-shop']);
    // Label boundaries: no rule matches example.net or badexample.com; the fallback owner (platform).
    expect(names('example.net')).toEqual(['platform']);
    expect(names('badexample.com')).toEqual(['platform']);
  });
});

describe('a round without its key', () => {
  it('records and sends nothing, and fails loudly', async () => {
    const setup = canaryWith();
    const failing = makeCanary({
      ...setup,
      probeKeys: {
        probeKey: async () => {
          throw new Error('AccessDeniedException: secretsmanager:GetSecretValue');
        },
      },
    });
    await expect(failing({ action: 'send-round' })).rejects.toThrow('AccessDeniedException');
    expect(setup.store.probes.size).toBe(0);
    expect(setup.probeMailer.mails).toHaveLength(0);
    expect(setup.checks.checks).toHaveLength(0);
  });
});
