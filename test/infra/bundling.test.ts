/**
 * One synth with real bundling (esbuild from devDependencies, no Docker), then the bundles themselves are loaded
 * and run: proof that the ESM output, its require() shim and the bundled configuration work outside the sources.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleJson } from '../support/configuration.js';
import { logicalId, resourcesOf, type Synthesised, synthesise } from '../support/infra.js';

const outdir = mkdtempSync(join(tmpdir(), 'acm-mail-bundling-'));
let synthesised: Synthesised;

beforeAll(() => {
  synthesised = synthesise(exampleJson(), { bundle: true, outdir });
  synthesised.app.synth();
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function bundleOf(fn: Parameters<typeof logicalId>[1]): string {
  const resource = resourcesOf(synthesised.template, 'AWS::Lambda::Function')[logicalId(synthesised.stack, fn)];
  const key = String(resource.Properties.Code.S3Key).replace(/\.zip$/, '');
  return join(outdir, `asset.${key}`);
}

describe('the bundled functions', () => {
  it('are single ESM files with source maps, minified', () => {
    for (const fn of [
      synthesised.stack.pipeline.router.function,
      synthesised.stack.pipeline.digest.function,
      synthesised.stack.pipeline.inbound.activationFunction?.function,
    ]) {
      if (!fn) throw new Error('missing function');
      const dir = bundleOf(fn);
      expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code).toMatch(/export\s*\{[^}]*as handler/);
      // Minified: a few very long lines (template literals and legal comments keep some line breaks).
      expect(code.length / code.split('\n').length).toBeGreaterThan(300);
    }
  });

  it('leave the AWS SDK to the runtime', () => {
    const code = readFileSync(
      join(bundleOf(synthesised.stack.pipeline.inbound.activationFunction?.function ?? synthesised.stack), 'index.mjs'),
      'utf8',
    );
    expect(code).toMatch(/from\s*"@aws-sdk\/client-ses"/);
  });

  it('router: loads, validates the bundled configuration at cold start and handles an SES event', async () => {
    const event = JSON.parse(
      readFileSync(new URL('../../fixtures/events/ses-lambda-action.json', import.meta.url), 'utf8'),
    );
    const router = (await import(
      pathToFileURL(join(bundleOf(synthesised.stack.pipeline.router.function), 'index.mjs')).href
    )) as {
      handler: (event: unknown) => Promise<unknown>;
    };
    await expect(router.handler(event)).resolves.toEqual([
      {
        messageId: 'k4tq1v7s0cgq3d2m8e5b6n1p9r0f2h7j3l5w8x1a',
        recipients: ['hostmaster@example.net'],
        verdicts: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' },
      },
    ]);
  });

  it('digest: loads with the bundled configuration and knows every owner', async () => {
    const digest = (await import(
      pathToFileURL(join(bundleOf(synthesised.stack.pipeline.digest.function), 'index.mjs')).href
    )) as {
      handler: () => Promise<{ owners: string[] }>;
    };
    await expect(digest.handler()).resolves.toEqual({ owners: ['platform', 'web-shop', 'data'] });
  });
});
