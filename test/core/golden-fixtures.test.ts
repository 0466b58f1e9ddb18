import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAcmMail } from '../../handlers/core/parse-mail.js';
import { fixtureDkim, goldenFixtures } from '../support/fixtures.js';

const fixtures = goldenFixtures();

describe('golden fixtures: each mail parses to its whole expected result', () => {
  it('has at least 35 fixtures, each with an expected result', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(35);
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s', async (_name, fixture) => {
    // Act
    const result = await parseAcmMail(readFileSync(fixture.emlPath), { dkim: fixtureDkim() });
    // Assess
    expect(result).toEqual(fixture.expected);
  });
});

describe('what the fixtures cover', () => {
  const byTrust = (trust: string) =>
    fixtures.filter((f) => f.expected.trust === trust && f.expected.kind === 'acm-approval');
  it('covers every verdict and both kinds', () => {
    expect(byTrust('trusted').length).toBeGreaterThan(5);
    expect(byTrust('unverified').length).toBeGreaterThan(3);
    expect(byTrust('suspicious').length).toBeGreaterThan(10);
    expect(fixtures.filter((f) => f.expected.kind === 'not-acm').length).toBeGreaterThan(4);
  });

  it('never returns a link for a mail whose link was refused', () => {
    for (const fixture of fixtures) {
      if (fixture.expected.reasons.some((reason) => reason.startsWith('link-') && reason !== 'link-region-mismatch')) {
        expect(fixture.expected.approval?.approvalUrl ?? null, fixture.name).toBeNull();
      }
    }
  });
});
