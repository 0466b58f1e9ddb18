/**
 * The house's layers, as the README's "Where things are" states them, checked over every import in handlers/: a
 * pure core, ports beside it, adapters at the edge, handlers' logic over ports, and wiring only where wiring belongs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HANDLERS = fileURLToPath(new URL('../handlers/', import.meta.url));

/** Which folders of handlers/ each folder may import from (its own always). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  ports: ['core'],
  adapters: ['core', 'ports'],
  router: ['core', 'ports'],
  digest: ['core', 'ports'],
  replay: ['core', 'ports', 'router'],
  'rule-set-activation': ['core', 'ports'],
  canary: ['core', 'ports'],
  'acm-events': ['core', 'ports'],
  estate: ['core', 'ports'],
  // The doctor's checks are questions to AWS APIs by nature: they take the SDK clients themselves (pointed at local
  // stubs in the tests), not ports that would only rename them.
  doctor: ['core', 'ports'],
  lambda: ['core', 'ports', 'adapters', 'router', 'digest', 'rule-set-activation', 'canary', 'acm-events', 'estate'],
  local: ['core', 'ports', 'adapters', 'router', 'digest', 'canary', 'acm-events', 'estate'],
  cli: ['core', 'ports', 'adapters', 'router', 'digest', 'replay', 'local', 'doctor', 'estate'],
};
/** The files outside lambda/, local/ and cli/ that wire adapters: the router's and the events handler's factories. */
const COMPOSITION_ROOTS = new Map([
  ['router/wired-router.ts', ['adapters']],
  ['acm-events/wired-acm-events.ts', ['adapters']],
]);
/** Packages that talk to AWS or the machine: never in the core, which takes bytes and values and returns values. */
const EDGE_PACKAGES =
  /^(?:@aws-sdk\/|@aws-lambda-powertools\/|@smithy\/|node:(?:fs|dns|child_process|net|http|https)$)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(dir, name));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // `import x from '...'`, `export ... from '...'`, `import '...'` and `import('...')`.
  const pattern =
    /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|import\('([^']+)'\)/g;
  return [...text.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

const files = sources(HANDLERS).map((file) => ({ file, path: relative(HANDLERS, file).replaceAll('\\', '/') }));

describe('the layers of handlers/', () => {
  it('names a rule for every folder', () => {
    const folders = new Set(files.map(({ path }) => path.split('/')[0]));
    expect([...folders].filter((folder) => folder !== undefined && !(folder in MAY_IMPORT))).toEqual([]);
  });

  it('imports across folders only as the layers allow', () => {
    const breaches: string[] = [];
    for (const { file, path } of files) {
      const folder = path.split('/')[0] ?? '';
      const allowed = new Set([folder, ...(MAY_IMPORT[folder] ?? []), ...(COMPOSITION_ROOTS.get(path) ?? [])]);
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.')) continue;
        const target = relative(HANDLERS, resolve(dirname(file), specifier)).replaceAll('\\', '/');
        const targetFolder = target.split('/')[0] ?? '';
        if (target.startsWith('..')) breaches.push(`${path} imports ${specifier}, outside handlers/`);
        else if (!allowed.has(targetFolder)) breaches.push(`${path} imports ${target}`);
      }
    }
    expect(breaches).toEqual([]);
  });

  it('keeps AWS, Powertools, files and the network out of the core and the ports', () => {
    const breaches = files
      .filter(({ path }) => path.startsWith('core/') || path.startsWith('ports/'))
      .flatMap(({ file, path }) =>
        importsOf(file)
          .filter((specifier) => EDGE_PACKAGES.test(specifier))
          .map((specifier) => `${path} imports ${specifier}`),
      );
    expect(breaches).toEqual([]);
  });

  it('finds the imports it checks (the scan itself works)', () => {
    const router = files.find(({ path }) => path === 'lambda/router.ts');
    expect(router && importsOf(router.file)).toContain('../router/wired-router.js');
    expect(files.length).toBeGreaterThan(60);
  });
});
