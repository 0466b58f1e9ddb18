/**
 * Probes through the production adapters on the emulators: the probe key from the Secrets Manager stub (over the
 * real SDK client), arrivals recorded in DynamoDB (dynalite) by the canary store, a forged probe's alert on the
 * alerts topic and its copy under quarantine/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbCanaryStore } from '../../handlers/adapters/dynamodb-canary-store.js';
import type { ProbeTarget } from '../../handlers/core/canary/targets.js';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import type { CanaryStore } from '../../handlers/ports/canary.js';
import { RecordsFailedError } from '../../handlers/router/router.js';
import { wiredRouter } from '../../handlers/router/wired-router.js';
import { exampleWith } from '../support/configuration.js';
import { fixtureBytes, fixtureDkim } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/local-aws.js';
import { probeAsReceived, RUN_ID, sentProbe, signedToken } from '../support/probe-mails.js';

let h: Harness;
let canary: CanaryStore;
beforeAll(async () => {
  h = await startHarness();
  canary = dynamoDbCanaryStore(h.clients.dynamodb, h.table);
});
afterAll(() => h.stop());

const target: ProbeTarget = { address: 'postmaster@example.net', domain: 'example.net', path: 'ses' };

describe('probes on the emulators', () => {
  it('a genuine probe is recorded in the state table; a forged one is quarantined and alerted; the key is read once', async () => {
    const router = h.router();
    const reads = h.services.secretsManager.requests.length;
    await canary.recordProbeSent(
      sentProbe(target, { sentAt: new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z') }),
      Math.floor(Date.now() / 1000) + 3600,
    );
    const sentAt = (await canary.probesOfRun(RUN_ID))[0]?.sentAt ?? '';
    const key = h.services.probeKey.key;

    // Ordinary mail never asks for the key.
    await router(h.event(await h.deliver(fixtureBytes('copies-1-admin'))));
    expect(h.services.secretsManager.requests.length).toBe(reads);

    const genuine = await h.deliver(probeAsReceived({ target, token: signedToken(target.address, key, { sentAt }) }));
    const [probe] = await router(h.event(genuine));
    expect(probe).toMatchObject({ outcome: 'probe', alreadyRecorded: false });
    const [recorded] = await canary.probesOfRun(RUN_ID);
    expect(recorded).toMatchObject({ address: target.address, arrivalMessageId: genuine.ses.mail.messageId });
    expect(await h.objectExists(`quarantine/${genuine.ses.mail.messageId}`)).toBe(false);

    const forgedToken = signedToken(target.address, Buffer.from('a key that is not ours at all'), { sentAt });
    const forged = await h.deliver(probeAsReceived({ target, token: forgedToken }));
    const [suspicious] = await router(h.event(forged));
    expect(suspicious).toMatchObject({ outcome: 'suspicious' });
    expect(await h.objectExists(`quarantine/${forged.ses.mail.messageId}`)).toBe(true);
    const alerts = await h.topicMessages('alerts');
    const alert = alerts.find((entry) => entry.message.messageId === forged.ses.mail.messageId);
    expect(alert?.message).toMatchObject({
      type: 'security-alert',
      alert: 'suspicious',
      reasons: ['probe-token-forged'],
      probe: { runId: RUN_ID, address: target.address },
    });
    expect(JSON.stringify(alerts)).not.toContain(forgedToken.slice(-43));
    const mails = h.sent.filter((mail) => mail.raw.includes(forged.ses.mail.messageId));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.raw).not.toContain(forgedToken.slice(-43));

    // Both probe-looking mails, one read of the secret: the adapter keeps the key for the process.
    expect(h.services.secretsManager.requests.length).toBe(reads + 1);
  });
});

describe('a router deployed without the probe key (no PROBE_KEY_SECRET_ARN)', () => {
  const wiring = (canaryEnabled: boolean) => ({
    configuration: parseConfiguration(
      exampleWith((config) => {
        config.canary = { enabled: canaryEnabled };
      }),
      'test',
    ),
    clients: h.clients,
    resources: { ...h.resources, probeKeySecretArn: null },
    dkimResolver: fixtureDkim().resolver,
  });

  it('with the canary disabled, keeps routing: ordinary mail as ever, a probe-looking mail suspicious', async () => {
    const router = wiredRouter(wiring(false));
    const [ordinary] = await router(h.event(await h.deliver(fixtureBytes('copies-2-administrator'))));
    expect(ordinary?.outcome).toMatch(/^(routed|duplicate)$/);
    const token = signedToken(target.address, h.services.probeKey.key);
    const [probe] = await router(h.event(await h.deliver(probeAsReceived({ target, token }))));
    expect(probe?.outcome).toBe('suspicious');
  });

  it('with the canary enabled, fails a probe-looking mail with an error naming the variable (Lambda retries it)', async () => {
    const router = wiredRouter(wiring(true));
    const token = signedToken(target.address, h.services.probeKey.key);
    const failure = await router(h.event(await h.deliver(probeAsReceived({ target, token })))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RecordsFailedError);
    expect(String((failure as RecordsFailedError).failures[0]?.error)).toMatch(
      /ProbeKeyUnavailableError: environment variable PROBE_KEY_SECRET_ARN is not set/,
    );
  });
});
