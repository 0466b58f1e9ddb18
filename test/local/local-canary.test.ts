/**
 * The local run's canary round (issue 12, "Locally"): the real canary sends a probe to every watched address of the
 * example's SES-receiving domains and each extra inbound address through the SES emulator; the local router records
 * each; a forged probe comes out suspicious; the check finds nothing missing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsTxtResolver } from '../../handlers/adapters/dns-txt-resolver.js';
import { probeTargets } from '../../handlers/core/canary/targets.js';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import { type LocalRunResult, runLocalPipeline } from '../../handlers/local/local-pipeline.js';
import { exampleConfiguration, exampleWith } from '../support/configuration.js';
import { FIXTURE_DKIM_KEYS, fixtureBytes } from '../support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'acm-mail-canary-'));
const dkimResolver = recordsTxtResolver(JSON.parse(readFileSync(FIXTURE_DKIM_KEYS, 'utf8')) as Record<string, string>);
let enabled: LocalRunResult;
let disabled: LocalRunResult;

beforeAll(async () => {
  const input = join(dir, 'genuine.eml');
  writeFileSync(input, fixtureBytes('current-new-text-html'));
  enabled = await runLocalPipeline({
    configuration: exampleConfiguration(),
    inputs: [input],
    outDir: join(dir, 'out'),
    dkimResolver,
  });
  disabled = await runLocalPipeline({
    configuration: parseConfiguration(
      exampleWith((c) => (c.canary = { enabled: false })),
      'test',
    ),
    inputs: [input],
    outDir: join(dir, 'out-disabled'),
    dkimResolver,
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The SES-receiving domains' five mailboxes and the extra inbound addresses of the example: 11. */
const LOCALLY_PROBED = probeTargets(exampleConfiguration())
  .filter((target) => target.path !== 'forwarded')
  .map((target) => target.address);

describe('the local canary round', () => {
  it('sends a probe to every SES-receiving mailbox and extra address, and the router records every one', () => {
    expect(LOCALLY_PROBED).toHaveLength(11);
    expect(enabled.counts.probesSent).toBe(LOCALLY_PROBED.length);
    expect(enabled.counts.probesArrived).toBe(LOCALLY_PROBED.length);
    expect(enabled.canary?.probes.map((probe) => probe.address).sort()).toEqual([...LOCALLY_PROBED].sort());
    expect(enabled.canary?.probes.every((probe) => probe.outcome === 'probe')).toBe(true);
    expect(enabled.canary?.check).toMatchObject({ action: 'check-round', missing: [] });
    expect([...(enabled.canary?.check.arrived ?? [])].sort()).toEqual([...LOCALLY_PROBED].sort());
  });

  it("probes no forwarded domain's corporate mailbox: nothing forwards them locally", () => {
    const probed = enabled.sent.filter((mail) => mail.kind === 'probe').flatMap((mail) => mail.to);
    expect(probed.sort()).toEqual([...LOCALLY_PROBED].sort());
    expect(probed.some((address) => address.endsWith('@example.com'))).toBe(false);
  });

  it('finds the forged probe (a well-formed token under another key) suspicious and alerts it', () => {
    expect(enabled.canary?.forged.outcome).toBe('suspicious');
    const alert = enabled.topicMessages.alerts.find((message) =>
      JSON.stringify(message).includes(enabled.canary?.forged.messageId ?? 'none'),
    );
    expect(JSON.stringify(alert)).toContain('probe-token-forged');
  });

  it('sends no missing-probe alert when every probe arrived, and writes the probes with the run', () => {
    expect(enabled.sent.filter((mail) => mail.subject.startsWith('[ACM canary]'))).toEqual([]);
    expect(readdirSync(join(dir, 'out', 'mail')).filter((name) => /^\d{3}-probe-/.test(name))).toHaveLength(11);
    expect(enabled.sesStoreCount).toBe(enabled.sent.length);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.counts).toMatchObject({ probesSent: 11, probesArrived: 11 });
    expect(summary.canary.runId).toBe(enabled.canary?.runId);
  });

  it('runs no round when the configuration disables the canary', () => {
    expect(disabled.canary).toBeNull();
    expect(disabled.counts).toMatchObject({ probesSent: 0, probesArrived: 0 });
    expect(disabled.sent.filter((mail) => mail.kind === 'probe')).toEqual([]);
  });
});
