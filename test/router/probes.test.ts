/**
 * The router's probe branch, fast, on in-memory ports: a genuine probe is recorded and nothing else happens; every
 * mail that tries to pass for one (each rule broken in turn, the way an attacker would write it) is `suspicious`,
 * quarantined and alerted, and never a ticket, never quieted, never recorded as an arrival. router.test.ts-style
 * emulator coverage is in probes-emulated.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { missingProbeAnchor } from '../../handlers/core/canary/missing-alert.js';
import type { ProbeTarget } from '../../handlers/core/canary/targets.js';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import { sesRecordForStoredMail } from '../../handlers/core/stored-mail-event.js';
import type { ProbeKeySource } from '../../handlers/ports/canary.js';
import type { RouterDeps } from '../../handlers/router/process-mail.js';
import { makeRouter } from '../../handlers/router/router.js';
import { exampleJson, exampleWith, type RawConfiguration } from '../support/configuration.js';
import { fixtureBytes, fixtureDkim } from '../support/fixtures.js';
import { fixedProbeKey, inMemoryCanaryStore } from '../support/in-memory-canary.js';
import { inMemoryPorts } from '../support/in-memory-ports.js';
import { PROBE_SENDER, probeAsReceived, RUN_ID, sentProbe, signedToken } from '../support/probe-mails.js';

const NOW = new Date('2026-11-26T06:05:00Z');
const SES_TARGET: ProbeTarget = { address: 'admin@example.net', domain: 'example.net', path: 'ses' };
const FORWARDED_TARGET: ProbeTarget = { address: 'hostmaster@example.com', domain: 'example.com', path: 'forwarded' };
const EXTRA = 'acm-forwarded@acm-mail.example.com';

/** A request store whose first outcome write fails (throttled), as if Lambda died between arrival and outcome. */
function storeFailingFirstOutcome(): RouterDeps['store'] {
  const store = inMemoryPorts().store;
  let failOnce = true;
  return {
    ...store,
    recordOutcome: async (record) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('DynamoDB throttled');
      }
      return store.recordOutcome(record);
    },
  };
}

function routerWith(configuration: RawConfiguration = exampleJson(), overrides: Partial<RouterDeps> = {}) {
  const ports = inMemoryPorts();
  const canary = inMemoryCanaryStore();
  const keys = fixedProbeKey();
  let keyReads = 0;
  const probeKeys: ProbeKeySource = {
    probeKey: () => {
      keyReads += 1;
      return keys.probeKey();
    },
  };
  const config = parseConfiguration(configuration, 'test configuration');
  let clock = NOW;
  const router = makeRouter({
    configuration: config,
    ...ports,
    canary,
    probeKeys,
    clock: () => clock,
    dkimResolver: fixtureDkim().resolver,
    ...overrides,
  });
  let count = 0;
  return {
    ...ports,
    canary,
    key: keys.key,
    keyReads: () => keyReads,
    setClock: (date: Date) => {
      clock = date;
    },
    async receive(
      mail: Buffer,
      options: {
        messageId?: string;
        recipients?: readonly string[];
        /** Changes SES's receipt as the event carries it (a verdict left out, say). */
        receipt?: (receipt: Record<string, unknown>) => void;
      } = {},
    ) {
      const messageId = options.messageId ?? `m-${++count}`;
      ports.archive.store(messageId, mail);
      const record = sesRecordForStoredMail(messageId, mail, config.region, clock);
      if (options.recipients) record.ses.receipt.recipients = [...options.recipients];
      options.receipt?.(record.ses.receipt as unknown as Record<string, unknown>);
      const [outcome] = await router({ Records: [record] });
      if (outcome === undefined) throw new Error('no outcome');
      return { ...outcome, record: ports.store.outcomes.get(messageId) };
    },
    /** Everything the router sent, published or logged, as one string: for "never the token" checks. */
    everythingSaid: () =>
      JSON.stringify([ports.notifier.mails, ports.notifier.publications, ports.logger.lines, ports.store.outcomes]),
  };
}

type Router = ReturnType<typeof routerWith>;

async function sent(r: Router, target: ProbeTarget = SES_TARGET, overrides = {}) {
  await r.canary.recordProbeSent(sentProbe(target, overrides), 0);
}

/** A probe that fails its checks: suspicious, quarantined, one alert, nothing recorded as an arrival. */
async function expectRejected(r: Router, mail: Buffer, reasons: readonly string[], recipients?: readonly string[]) {
  const outcome = await r.receive(mail, recipients ? { recipients } : {});
  expect(outcome.outcome).toBe('suspicious');
  expect(outcome.record?.reasons).toEqual(expect.arrayContaining([...reasons]));
  expect(r.archive.quarantined.has(outcome.messageId)).toBe(true);
  expect(r.notifier.mails.map((mail) => mail.to)).toContainEqual(['security@example.org']);
  expect(r.notifier.publications.map((p) => p.topic)).toContain('alerts');
  expect(r.notifier.publications.map((p) => p.topic)).not.toContain('approvals');
  for (const probe of r.canary.probes.values()) expect(probe.arrivalMessageId).not.toBe(outcome.messageId);
  expect(r.metrics.counts.get('SuspiciousMail')).toBeGreaterThanOrEqual(1);
  return outcome;
}

describe('a genuine probe', () => {
  it('is recorded as the probe of its run and address, and nothing else happens', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    const outcome = await r.receive(probeAsReceived({ target: SES_TARGET, token }));

    expect(outcome.outcome).toBe('probe');
    // The audit record: run and address, no subject, no reasons from the mail.
    expect(outcome.record).toMatchObject({
      outcome: 'probe',
      requestKey: null,
      reasons: [],
      detail: `probe ${RUN_ID} admin@example.net`,
    });
    expect(outcome.record?.security).toBeUndefined();
    expect(r.canary.probes.get(`${RUN_ID} admin@example.net`)).toMatchObject({
      arrivedAt: NOW.toISOString(),
      arrivalMessageId: outcome.messageId,
    });
    expect(r.notifier.mails).toEqual([]);
    expect(r.notifier.publications).toEqual([]);
    expect(r.archive.quarantined.size).toBe(0);
    expect(r.metrics.counts).toEqual(new Map([['ProbeMail', 1]]));
    expect(r.everythingSaid()).not.toContain(token.slice(-43));
  });

  it('reads the probe key only when a probe-looking mail arrives', async () => {
    const r = routerWith();
    await r.receive(fixtureBytes('copies-1-admin'));
    await r.receive(fixtureBytes('not-acm-bounce-carrying-acm-original'));
    expect(r.keyReads()).toBe(0);
    await sent(r);
    await r.receive(probeAsReceived({ target: SES_TARGET, token: signedToken(SES_TARGET.address, r.key) }));
    expect(r.keyReads()).toBe(1);
  });

  it('is recognised whatever the case of the field name', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    const mail = probeAsReceived({ target: SES_TARGET, token, probeFieldLines: [`x-acm-mail-probe: ${token}`] });
    expect((await r.receive(mail)).outcome).toBe('probe');
  });

  it('may be signed by a parent of the sender domain within its organisation (example.org)', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    const dkim = [
      ['pass', 'example.org'],
      ['pass', 'amazonses.com'],
    ] as const;
    expect((await r.receive(probeAsReceived({ target: SES_TARGET, token, dkim }))).outcome).toBe('probe');
  });

  it("to a forwarded domain's mailbox, arrives through the extra inbound address", async () => {
    const r = routerWith();
    await sent(r, FORWARDED_TARGET);
    const mail = probeAsReceived({ target: FORWARDED_TARGET, token: signedToken(FORWARDED_TARGET.address, r.key) });
    expect((await r.receive(mail, { recipients: [EXTRA] })).outcome).toBe('probe');
  });

  it('arriving twice with the same message id is one arrival (an outcome already recorded)', async () => {
    const r = routerWith();
    await sent(r);
    const mail = probeAsReceived({ target: SES_TARGET, token: signedToken(SES_TARGET.address, r.key) });
    await r.receive(mail, { messageId: 'same' });
    const again = await r.receive(mail, { messageId: 'same' });
    expect(again).toMatchObject({ outcome: 'probe', alreadyRecorded: true });
    expect(r.metrics.counts).toEqual(new Map([['ProbeMail', 1]]));
  });

  it('retried after its arrival was stored but not its outcome, is the same arrival again: still a probe', async () => {
    const r = routerWith(exampleJson(), { store: storeFailingFirstOutcome() });
    await sent(r);
    const mail = probeAsReceived({ target: SES_TARGET, token: signedToken(SES_TARGET.address, r.key) });
    await expect(r.receive(mail, { messageId: 'retried' })).rejects.toThrow(/DynamoDB throttled/);
    const retried = await r.receive(mail, { messageId: 'retried' });
    expect(retried).toMatchObject({ outcome: 'probe', alreadyRecorded: false });
    expect(r.notifier.mails).toEqual([]);
  });
});

describe('a mail that looks like a probe and is not one', () => {
  it('sent again through a second SES message: probe-token-replayed', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    expect((await r.receive(probeAsReceived({ target: SES_TARGET, token }))).outcome).toBe('probe');
    const replay = await expectRejected(r, probeAsReceived({ target: SES_TARGET, token }), ['probe-token-replayed']);
    // The alert names the run and the address, never the token.
    const [alert] = r.notifier.mails;
    expect(alert?.subject).toBe('[ACM security] Suspicious mail posing as a canary probe (admin@example.net)');
    expect(alert?.text).toContain(RUN_ID);
    expect(alert?.text).toContain('probe-token-replayed (the same probe already arrived in another message');
    expect(alert?.text).toContain(`SES message id:   ${replay.messageId}`);
    expect(r.everythingSaid()).not.toContain(token.slice(-43));
    expect(r.everythingSaid()).not.toContain(token);
  });

  it('of a run we never sent to that address: probe-unknown-run', async () => {
    const r = routerWith();
    const token = signedToken(SES_TARGET.address, r.key);
    await expectRejected(r, probeAsReceived({ target: SES_TARGET, token }), ['probe-unknown-run']);
  });

  it('signed with another key: probe-token-forged', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, Buffer.from('an attacker guessing our key'));
    await expectRejected(r, probeAsReceived({ target: SES_TARGET, token }), ['probe-token-forged']);
    expect(r.everythingSaid()).not.toContain(token.slice(-43));
  });

  it('older than a day: probe-token-stale; from the future: probe-token-from-future', async () => {
    const r = routerWith();
    const stale = signedToken(SES_TARGET.address, r.key, { sentAt: '2026-11-25T06:04:00Z' });
    await expectRejected(r, probeAsReceived({ target: SES_TARGET, token: stale }), ['probe-token-stale']);
    const future = signedToken(SES_TARGET.address, r.key, { sentAt: '2026-11-26T06:11:00Z' });
    await expectRejected(r, probeAsReceived({ target: SES_TARGET, token: future }), ['probe-token-from-future']);
  });

  it('with the field twice (same or different case), or folded: probe-header-repeated, probe-token-malformed', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    const twice = [`X-ACM-Mail-Probe: ${token}`, `X-ACM-Mail-Probe: ${token}`];
    const cases = [`X-ACM-Mail-Probe: ${token}`, `x-acm-mail-probe: ${token}`];
    const folded = [`X-ACM-Mail-Probe: ${token.replace('; to=', ';\r\n to=')}`];
    await expectRejected(r, probeAsReceived({ target: SES_TARGET, token, probeFieldLines: twice }), [
      'probe-header-repeated',
    ]);
    await expectRejected(r, probeAsReceived({ target: SES_TARGET, token, probeFieldLines: cases }), [
      'probe-header-repeated',
    ]);
    await expectRejected(r, probeAsReceived({ target: SES_TARGET, token, probeFieldLines: folded }), [
      'probe-token-malformed',
    ]);
    // None of them used up the genuine probe: it still arrives.
    expect((await r.receive(probeAsReceived({ target: SES_TARGET, token }))).outcome).toBe('probe');
  });

  it('empty, or with anything else in the field: probe-token-malformed', async () => {
    const r = routerWith();
    const token = signedToken(SES_TARGET.address, r.key);
    for (const value of ['', 'yes', `${token}; x=1`, `v2${token.slice(2)}`]) {
      const mail = probeAsReceived({ target: SES_TARGET, token, probeFieldLines: [`X-ACM-Mail-Probe: ${value}`] });
      await expectRejected(r, mail, ['probe-token-malformed']);
    }
  });

  it('whose From only shows our sender (display name, comment, encoded word) or is not alone', async () => {
    const froms = [
      `"${PROBE_SENDER}" <mallory@attacker.example>`,
      `${PROBE_SENDER} <mallory@attacker.example>`,
      `mallory@attacker.example (${PROBE_SENDER})`,
      '=?utf-8?q?acm-mail=40notify=2Eexample=2Eorg?= <mallory@attacker.example>',
      `${PROBE_SENDER}, mallory@attacker.example`,
      `mallory@attacker.example, ${PROBE_SENDER}`,
    ];
    for (const from of froms) {
      const r = routerWith();
      await sent(r);
      const mail = probeAsReceived({ target: SES_TARGET, token: signedToken(SES_TARGET.address, r.key), from });
      await expectRejected(r, mail, ['probe-not-from-our-sender']);
    }
  });

  it('with a second From field, in either order', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    await expectRejected(
      r,
      probeAsReceived({ target: SES_TARGET, token, extraHeaders: ['From: mallory@attacker.example'] }),
      ['probe-not-from-our-sender'],
    );
    await expectRejected(
      r,
      probeAsReceived({
        target: SES_TARGET,
        token,
        from: 'mallory@attacker.example',
        extraHeaders: [`From: ${PROBE_SENDER}`],
      }),
      ['probe-not-from-our-sender'],
    );
  });

  it("with our sender's address in Sender or Reply-To only", async () => {
    const r = routerWith();
    await sent(r);
    const mail = probeAsReceived({
      target: SES_TARGET,
      token: signedToken(SES_TARGET.address, r.key),
      from: 'mallory@attacker.example',
      extraHeaders: [`Sender: ${PROBE_SENDER}`, `Reply-To: ${PROBE_SENDER}`],
    });
    await expectRejected(r, mail, ['probe-not-from-our-sender']);
  });

  it('signed only by amazonses.com (anyone sending through SES), or by a look-alike domain', async () => {
    const lookAlikes = [
      'amazonses.com',
      'notify.example.org.attacker.example',
      'notify-example.org',
      'xnotify.example.org',
      'example.org.attacker.example',
      'attacker.example',
    ];
    for (const domain of lookAlikes) {
      const r = routerWith();
      await sent(r);
      const mail = probeAsReceived({
        target: SES_TARGET,
        token: signedToken(SES_TARGET.address, r.key),
        dkim: [['pass', domain]],
        dmarc: null,
      });
      await expectRejected(r, mail, ['probe-without-our-dkim']);
    }
  });

  it('whose signature by our domain failed, or whose DMARC failed', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    const failed = probeAsReceived({
      target: SES_TARGET,
      token,
      dkim: [
        ['fail', 'notify.example.org'],
        ['pass', 'amazonses.com'],
      ],
    });
    await expectRejected(r, failed, ['probe-without-our-dkim']);
    const dmarc = probeAsReceived({ target: SES_TARGET, token, dmarc: 'fail header.from=notify.example.org' });
    await expectRejected(r, dmarc, ['probe-without-our-dkim']);
  });

  it("with the sender's own Authentication-Results below SES's stamp claiming our DKIM", async () => {
    const r = routerWith();
    await sent(r);
    const mail = probeAsReceived({
      target: SES_TARGET,
      token: signedToken(SES_TARGET.address, r.key),
      dkim: [['pass', 'amazonses.com']],
      dmarc: null,
      senderTopFields: [
        'Authentication-Results: amazonses.com;',
        ' dkim=pass header.i=@notify.example.org;',
        ' dmarc=pass header.from=notify.example.org;',
      ],
    });
    await expectRejected(r, mail, ['probe-without-our-dkim']);
  });

  it("without SES's stamp at all", async () => {
    const r = routerWith();
    await sent(r);
    const mail = probeAsReceived({
      target: SES_TARGET,
      token: signedToken(SES_TARGET.address, r.key),
      unstamped: true,
    });
    await expectRejected(r, mail, ['probe-ses-verdicts-unreliable', 'probe-without-our-dkim']);
  });

  it('judged spam or a virus by SES', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    await expectRejected(r, probeAsReceived({ target: SES_TARGET, token, spam: 'FAIL' }), ['probe-spam-or-virus']);
    await expectRejected(r, probeAsReceived({ target: SES_TARGET, token, virus: 'FAIL' }), ['probe-spam-or-virus']);
  });

  it('received for another address than its token names', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    await expectRejected(
      r,
      probeAsReceived({ target: SES_TARGET, token }),
      ['probe-wrong-recipient'],
      ['webmaster@example.net'],
    );
    // A forwarded mailbox's probe must come through the extra inbound address, not straight to another mailbox.
    await sent(r, FORWARDED_TARGET);
    const forwarded = probeAsReceived({
      target: FORWARDED_TARGET,
      token: signedToken(FORWARDED_TARGET.address, r.key),
    });
    await expectRejected(r, forwarded, ['probe-wrong-recipient'], ['admin@example.net']);
  });

  it('for an address we do not watch', async () => {
    const r = routerWith();
    const stranger: ProbeTarget = { address: 'admin@attacker.example', domain: 'attacker.example', path: 'ses' };
    const mail = probeAsReceived({ target: stranger, token: signedToken(stranger.address, r.key) });
    await expectRejected(r, mail, ['probe-not-a-target'], ['admin@example.net']);
  });

  it('carrying ACM approval template as its body: suspicious, never a ticket', async () => {
    const r = routerWith();
    const token = signedToken(SES_TARGET.address, Buffer.from('not our key'));
    const acm = fixtureBytes('copies-1-admin').toString('latin1');
    const body = acm.slice(acm.indexOf('Content-Type: multipart/alternative'));
    await expectRejected(r, probeAsReceived({ target: SES_TARGET, token, bodyEntity: body }), ['probe-token-forged']);
    expect(r.notifier.mails.every((mail) => !mail.subject.startsWith('[ACM approval]'))).toBe(true);
  });

  it('when the canary is disabled: probe-canary-disabled, and the key is never read', async () => {
    const r = routerWith(
      exampleWith((config) => {
        config.canary = { enabled: false };
      }),
    );
    const mail = probeAsReceived({ target: SES_TARGET, token: signedToken(SES_TARGET.address, r.key) });
    await expectRejected(r, mail, ['probe-canary-disabled']);
    expect(r.keyReads()).toBe(0);
  });
});

describe('the probe field anywhere but the top header block', () => {
  it('in an attached message of our sender is not a probe: nothing is recorded as an arrival', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    const inner = `X-ACM-Mail-Probe: ${token}\r\nSubject: probe\r\n\r\nhello\r\n`;
    const body = [
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'see attached',
      '--b',
      'Content-Type: message/rfc822',
      '',
      inner,
      '--b--',
      '',
    ].join('\r\n');
    const mail = probeAsReceived({ target: SES_TARGET, token, probeFieldLines: [], bodyEntity: body });
    const outcome = await r.receive(mail);
    expect(outcome.outcome).not.toBe('probe');
    expect(r.canary.probes.get(`${RUN_ID} admin@example.net`)?.arrivedAt).toBeNull();
    expect(r.keyReads()).toBe(0);
  });
});

describe('a probe that arrives after the canary reported its address dark', () => {
  const LATE = new Date('2026-11-26T08:17:00Z');

  it('sends one follow-up, threaded on the missing alert, to the security contact and the owners of the domain', async () => {
    const r = routerWith();
    r.setClock(LATE);
    const target: ProbeTarget = {
      address: 'webmaster@acm-mail.example.com',
      domain: 'acm-mail.example.com',
      path: 'ses',
    };
    await sent(r, target);
    expect(await r.canary.markProbeMissing(RUN_ID, target.address, '2026-11-26T06:30:00Z')).toBe(true);
    const token = signedToken(target.address, r.key);
    const outcome = await r.receive(probeAsReceived({ target, token }));
    expect(outcome.outcome).toBe('probe');

    expect(r.notifier.mails).toHaveLength(1);
    const [followUp] = r.notifier.mails;
    // acm-mail.example.com is covered by the rule for example.com (platform); the security contact first.
    expect(followUp?.to).toEqual(['security@example.org', 'platform-leads@example.org']);
    expect(followUp?.subject).toBe(
      `Re: [ACM canary] No probe arrived at webmaster@acm-mail.example.com (run ${RUN_ID})`,
    );
    expect(followUp?.references).toEqual([
      missingProbeAnchor(RUN_ID, 'webmaster@acm-mail.example.com', 'notify.example.org'),
    ]);
    expect(followUp?.inReplyTo).toBe(followUp?.references?.[0]);
    expect(followUp?.headers).toMatchObject({ 'X-ACM-Validation-Mail': 'alert', 'Auto-Submitted': 'auto-generated' });
    expect(followUp?.text).toContain('mail to this address reaches the pipeline again');
    expect(followUp?.text).toMatch(/Sent: +2026-11-26 06:00 UTC/);
    expect(followUp?.text).toMatch(/Arrived: +2026-11-26 08:17 UTC/);
    expect(followUp?.text).toMatch(/Late by: +1 h 47 min/);

    expect(r.notifier.publications).toEqual([
      {
        topic: 'alerts',
        attributes: { alert: 'canary-late-arrival', outcome: 'probe' },
        message: expect.objectContaining({
          type: 'canary-late-arrival',
          runId: RUN_ID,
          address: target.address,
          sentAt: '2026-11-26T06:00:00Z',
          arrivedAt: LATE.toISOString(),
          lateByMinutes: 107,
        }),
      },
    ]);
    expect(r.canary.probes.get(`${RUN_ID} ${target.address}`)?.lateClearedAt).toBe(LATE.toISOString());
    // Nothing from the received mail: not its subject, not its token.
    expect(r.everythingSaid()).not.toContain(token.slice(-43));
    expect(followUp?.text).not.toContain('ACM mailbox canary: probe to');
  });

  it('sends it once: a retry of the same message sends nothing more', async () => {
    const r = routerWith(exampleJson(), { store: storeFailingFirstOutcome() });
    r.setClock(LATE);
    await sent(r);
    await r.canary.markProbeMissing(RUN_ID, SES_TARGET.address, '2026-11-26T06:30:00Z');
    const mail = probeAsReceived({ target: SES_TARGET, token: signedToken(SES_TARGET.address, r.key) });
    await expect(r.receive(mail, { messageId: 'late' })).rejects.toThrow(/throttled/);
    expect(await r.receive(mail, { messageId: 'late' })).toMatchObject({ outcome: 'probe' });
    expect(r.notifier.mails).toHaveLength(1);
    expect(r.notifier.publications).toHaveLength(1);
  });

  it('sends nothing for a probe that was not reported missing, however late', async () => {
    const r = routerWith();
    r.setClock(LATE);
    await sent(r);
    const mail = probeAsReceived({ target: SES_TARGET, token: signedToken(SES_TARGET.address, r.key) });
    expect((await r.receive(mail)).outcome).toBe('probe');
    expect(r.notifier.mails).toEqual([]);
    expect(r.notifier.publications).toEqual([]);
  });
});

describe('a header block longer than we read (256 KiB; red team H25)', () => {
  /** Fields of the sender's that push everything after them past the header limit. */
  const pad = (bytes: number) => [`X-Pad: ${'p'.repeat(bytes)}`];

  it('with a probe field past the cut: suspicious and alerted, not quieted as mail from our sender (H25c)', async () => {
    const r = routerWith();
    await sent(r);
    const mail = probeAsReceived({
      target: SES_TARGET,
      token: signedToken(SES_TARGET.address, Buffer.from('not our key')),
      extraHeaders: pad(270_000),
    });
    const outcome = await expectRejected(r, mail, ['probe-header-cut']);
    expect(outcome.record?.detail ?? '').not.toContain('loop-guard');
    // Nothing of a token past the cut is verified: the key is not even read.
    expect(r.keyReads()).toBe(0);
  });

  it('with a genuine token, is never a probe (the cut hides what follows it)', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    // The probe field right at the top, inside the limit; padding below it.
    const mail = probeAsReceived({
      target: SES_TARGET,
      token,
      senderTopFields: [`X-ACM-Mail-Probe: ${token}`],
      probeFieldLines: pad(300_000),
    });
    await expectRejected(r, mail, ['probe-header-cut']);
    expect(r.canary.probes.get(`${RUN_ID} admin@example.net`)?.arrivedAt).toBeNull();
  });

  it('with From and the probe field both past the cut: suspicious, never summarised into a queue (H25b)', async () => {
    const r = routerWith();
    await sent(r);
    const mailboxes = Array.from({ length: 20_000 }, (_, index) => `m${index}@example.org`).join(', ');
    const mail = probeAsReceived({
      target: SES_TARGET,
      token: signedToken(SES_TARGET.address, r.key),
      from: `${PROBE_SENDER}, ${mailboxes}`,
    });
    await expectRejected(r, mail, ['probe-header-cut']);
    expect(r.notifier.mails.map((sentMail) => sentMail.to)).toEqual([['security@example.org']]);
  });

  it('without any probe field: suspicious (header-block-cut), neither quieted by the loop guard nor summarised', async () => {
    for (const from of [PROBE_SENDER, 'someone@elsewhere.example']) {
      const r = routerWith();
      const mail = probeAsReceived({
        target: SES_TARGET,
        token: '',
        from,
        probeFieldLines: [],
        extraHeaders: [...pad(270_000), 'Auto-Submitted: auto-generated'],
      });
      const outcome = await r.receive(mail);
      expect(outcome.outcome).toBe('suspicious');
      expect(outcome.record?.reasons).toContain('header-block-cut');
      expect(r.archive.quarantined.has(outcome.messageId)).toBe(true);
      expect(r.notifier.mails.map((sentMail) => sentMail.to)).toEqual([['security@example.org']]);
      expect(r.keyReads()).toBe(0);
    }
  });
});

describe("SES's receipt event: all five verdicts, DKIM PASS, and no FAIL in the stamp either (red team D23-D30)", () => {
  const verdicts = ['spfVerdict', 'dkimVerdict', 'dmarcVerdict', 'spamVerdict', 'virusVerdict'] as const;

  it('an event without one of its verdicts is not enough for a probe', async () => {
    for (const verdict of verdicts) {
      const r = routerWith();
      await sent(r);
      const mail = probeAsReceived({ target: SES_TARGET, token: signedToken(SES_TARGET.address, r.key) });
      const outcome = await r.receive(mail, {
        receipt: (receipt) => {
          delete receipt[verdict];
        },
      });
      expect(outcome.outcome).toBe('suspicious');
      expect(outcome.record?.reasons).toContain('probe-ses-event-incomplete');
    }
  });

  it('an event with no verdicts at all, or a verdict SES does not write (DISABLED), is not enough either', async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    const none = await r.receive(probeAsReceived({ target: SES_TARGET, token }), {
      receipt: (receipt) => {
        for (const verdict of verdicts) delete receipt[verdict];
      },
    });
    expect(none.record?.reasons).toContain('probe-ses-event-incomplete');
    const disabled = await r.receive(probeAsReceived({ target: SES_TARGET, token }), {
      receipt: (receipt) => {
        receipt.spamVerdict = { status: 'DISABLED' };
      },
    });
    expect(disabled.outcome).toBe('suspicious');
    expect(disabled.record?.reasons).toContain('probe-ses-event-incomplete');
  });

  it("spam or virus FAIL in SES's stamp while the event says nothing of it (D28, D29)", async () => {
    for (const [stamped, verdict] of [
      [{ spam: 'FAIL' }, 'spamVerdict'],
      [{ virus: 'FAIL' }, 'virusVerdict'],
    ] as const) {
      const r = routerWith();
      await sent(r);
      const mail = probeAsReceived({ target: SES_TARGET, token: signedToken(SES_TARGET.address, r.key), ...stamped });
      const outcome = await r.receive(mail, {
        receipt: (receipt) => {
          delete receipt[verdict];
        },
      });
      expect(outcome.outcome).toBe('suspicious');
      expect(outcome.record?.reasons).toEqual(
        expect.arrayContaining(['probe-ses-event-incomplete', 'probe-spam-or-virus']),
      );
    }
  });
});

describe('alerts for forged probes: an hourly budget (red team A01)', () => {
  it('sends at most 20 an hour; the rest are still suspicious, quarantined, recorded and counted', async () => {
    const r = routerWith();
    const junk = () => probeAsReceived({ target: SES_TARGET, token: 'x', from: 'someone@elsewhere.example' });
    const outcomes = [];
    for (let index = 0; index < 25; index++) outcomes.push(await r.receive(junk()));
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(Array(25).fill('suspicious'));
    expect(outcomes.every((outcome) => r.archive.quarantined.has(outcome.messageId))).toBe(true);
    expect(outcomes.every((outcome) => outcome.record?.outcome === 'suspicious')).toBe(true);
    expect(r.metrics.counts.get('SuspiciousMail')).toBe(25);
    expect(r.notifier.mails).toHaveLength(20);
    expect(r.notifier.publications.filter((p) => p.topic === 'alerts')).toHaveLength(20);
    const withheld = r.logger.lines.filter((line) => line.message === 'alert withheld by the hourly budget');
    expect(withheld.map((line) => line.extra?.messageId)).toEqual(outcomes.slice(20).map((o) => o.messageId));

    // The next hour has its own budget.
    r.setClock(new Date(NOW.getTime() + 60 * 60 * 1000));
    await r.receive(junk());
    expect(r.notifier.mails).toHaveLength(21);
  });

  it("does not spend the budget of other alerts: a genuine ACM mail's alert still goes out", async () => {
    const r = routerWith();
    for (let index = 0; index < 21; index++) {
      await r.receive(probeAsReceived({ target: SES_TARGET, token: 'x', from: 'someone@elsewhere.example' }));
    }
    expect(r.notifier.mails).toHaveLength(20);
    // An ACM approval mail for an account that is not ours: its foreign-account alert is not budgeted.
    const outcome = await r.receive(fixtureBytes('loop-auto-submitted-genuine-foreign-account'));
    expect(outcome.outcome).toBe('foreign-account');
    expect(r.notifier.mails).toHaveLength(21);
  });
});

describe('the security record of a forged probe (red team L01)', () => {
  it("stores the subject as outputs show it: a token's nonce and MAC redacted", async () => {
    const r = routerWith();
    await sent(r);
    const token = signedToken(SES_TARGET.address, r.key);
    const mail = probeAsReceived({
      target: SES_TARGET,
      token: signedToken(SES_TARGET.address, Buffer.from('not our key')),
      extraHeaders: [],
    });
    const withSubject = Buffer.from(
      mail.toString('latin1').replace(/^Subject: .*$/m, `Subject: see ${token}`),
      'latin1',
    );
    const outcome = await expectRejected(r, withSubject, ['probe-token-forged']);
    const subject = outcome.record?.security?.subject ?? '';
    expect(subject).toContain('nonce=<redacted>');
    expect(subject).toContain('mac=<redacted>');
    expect(r.everythingSaid()).not.toContain(token.slice(-43));
  });
});
