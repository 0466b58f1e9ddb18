/**
 * The golden probe fixtures (fixtures/probes/, written by `npm run fixtures` from fixtures/generator/probes.ts): the
 * committed files are what the generator writes, and each routed through the router on in-memory ports, with the
 * fixtures' probe key and receipt time and the canary's record of the probe, gives exactly its expected outcome.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedJson, PROBE_FIXTURE_DIR } from '../../fixtures/generate.js';
import {
  PROBE_FIXTURE_KEY,
  PROBE_FIXTURE_RECEIVED_AT,
  PROBE_FIXTURE_TARGET,
  type ProbeExpected,
  probeFixtures,
} from '../../fixtures/generator/probes.js';
import { parseConfiguration } from '../../handlers/core/configuration/index.js';
import { sesRecordForStoredMail } from '../../handlers/core/stored-mail-event.js';
import { makeRouter } from '../../handlers/router/router.js';
import { exampleJson } from '../support/configuration.js';
import { fixtureDkim } from '../support/fixtures.js';
import { fixedProbeKey, inMemoryCanaryStore } from '../support/in-memory-canary.js';
import { inMemoryPorts } from '../support/in-memory-ports.js';
import { sentProbe } from '../support/probe-mails.js';

const committed = readdirSync(PROBE_FIXTURE_DIR)
  .filter((file) => file.endsWith('.eml'))
  .sort()
  .map((file) => file.slice(0, -'.eml'.length));

describe('golden probe fixtures', () => {
  it('are byte for byte what the generator writes, and nothing else is there', () => {
    const fixtures = probeFixtures();
    expect(committed).toEqual(fixtures.map((fixture) => fixture.name).sort());
    for (const fixture of fixtures) {
      expect(readFileSync(join(PROBE_FIXTURE_DIR, `${fixture.name}.eml`)).equals(fixture.eml), fixture.name).toBe(true);
      expect(readFileSync(join(PROBE_FIXTURE_DIR, `${fixture.name}.expected.json`), 'utf8')).toBe(
        expectedJson(fixture.expected),
      );
    }
  });

  it.each(committed)('%s: routed, gives its expected outcome and reasons', async (name) => {
    const bytes = readFileSync(join(PROBE_FIXTURE_DIR, `${name}.eml`));
    const expected = JSON.parse(
      readFileSync(join(PROBE_FIXTURE_DIR, `${name}.expected.json`), 'utf8'),
    ) as ProbeExpected;
    const ports = inMemoryPorts();
    const canary = inMemoryCanaryStore();
    const config = parseConfiguration(exampleJson(), 'example');
    const receivedAt = new Date(expected.receivedAt);
    await canary.recordProbeSent(sentProbe(PROBE_FIXTURE_TARGET), 0);
    ports.archive.store(name, bytes);
    const router = makeRouter({
      configuration: config,
      ...ports,
      canary,
      probeKeys: fixedProbeKey(PROBE_FIXTURE_KEY),
      clock: () => receivedAt,
      dkimResolver: fixtureDkim().resolver,
    });
    const [outcome] = await router({ Records: [sesRecordForStoredMail(name, bytes, config.region, receivedAt)] });
    expect(outcome?.outcome).toBe(expected.outcome);
    expect(ports.store.outcomes.get(name)?.reasons).toEqual(expected.reasons);
    const probe = canary.probes.get(`${expected.runId} ${expected.address}`);
    expect(probe?.arrivalMessageId).toBe(expected.outcome === 'probe' ? name : null);
    expect(expected.receivedAt).toBe(PROBE_FIXTURE_RECEIVED_AT);
  });
});
