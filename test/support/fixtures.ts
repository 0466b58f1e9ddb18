/** Typed access to the golden fixtures and to ../shared, which a fresh clone does not have. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AcmMailResult } from '../../handlers/core/types.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/mail/', import.meta.url));
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

export interface GoldenFixture {
  readonly name: string;
  readonly emlPath: string;
  readonly expected: AcmMailResult;
}

export function goldenFixtures(): GoldenFixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.eml'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.eml'.length);
      return {
        name,
        emlPath: join(FIXTURE_DIR, file),
        expected: JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.expected.json`), 'utf8')) as AcmMailResult,
      };
    });
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(FIXTURE_DIR, `${name}.eml`));
}

/** The shared folder's path, or null with a printed reason: tests that need it skip visibly. */
export function sharedPath(relative: string): string | null {
  const path = join(SHARED_DIR, relative);
  if (existsSync(path)) return path;
  console.warn(`SKIPPING tests that read ${path}: ../shared is not beside this checkout (a fresh clone has none)`);
  return null;
}
