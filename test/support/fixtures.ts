/** Typed access to the golden fixtures and to ../shared, which a fresh clone does not have. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dkimSignatureFor, FIXTURE_SELECTOR } from '../../fixtures/generator/dkim.js';
import { keysFileTxtResolver } from '../../handlers/adapters/dns-txt-resolver.js';
import type { OwnDkimOptions } from '../../handlers/core/own-dkim.js';
import type { AcmMailResult } from '../../handlers/core/types.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/mail/', import.meta.url));
/** The fixture key's DNS record (fixtures/dkim/keys.json): the stub resolver every test verifies DKIM with. */
export const FIXTURE_DKIM_KEYS = fileURLToPath(new URL('../../fixtures/dkim/keys.json', import.meta.url));

/** Our own DKIM check as the golden expectations assume it: the fixture key served, every other name unknown. */
export function fixtureDkim(now = new Date('2026-11-25T08:00:00Z')): OwnDkimOptions {
  return { resolver: keysFileTxtResolver(FIXTURE_DKIM_KEYS), now };
}
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

export interface GoldenFixture {
  readonly name: string;
  readonly emlPath: string;
  readonly expected: AcmMailResult;
}

/** The five copies of one request (shop.example.net), one per mailbox, as ACM sends them. */
export const FIVE_COPIES = [
  'copies-1-admin',
  'copies-2-administrator',
  'copies-3-hostmaster',
  'copies-4-postmaster',
  'copies-5-webmaster',
] as const;
/** Their request's key: the certificate ARN and the domain. */
export const FIVE_COPIES_REQUEST_KEY =
  'arn:aws:acm:eu-west-1:184694211251:certificate/975243f7-b501-4ee8-a0dc-69991761dbe0|shop.example.net';

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

/**
 * A fixture changed the way ACM itself would have written it (a resend with a new code, say), signed again with the
 * fixture key: our own DKIM check would rightly refuse the changed mail under its old signature.
 */
export function changedAndResigned(name: string, change: (eml: string) => string): Buffer {
  const acmSignature =
    /DKIM-Signature:[^\r]*\r\n\ts=acm-fixture-2026; d=certificates\.amazon\.com;(?:\r\n\t[^\r]*)*\r\n/;
  const unsigned = change(fixtureBytes(name).toString('latin1'));
  const signature = acmSignature.exec(unsigned);
  if (signature === null) throw new Error(`${name} carries no signature by the fixture key`);
  const without = unsigned.replace(signature[0], '');
  const fresh = dkimSignatureFor(without, 'certificates.amazon.com', FIXTURE_SELECTOR).join('\r\n');
  return Buffer.from(unsigned.replace(signature[0], `${fresh}\r\n`), 'latin1');
}

/** The shared folder's path, or null with a printed reason: tests that need it skip visibly. */
export function sharedPath(relative: string): string | null {
  const path = join(SHARED_DIR, relative);
  if (existsSync(path)) return path;
  console.warn(`SKIPPING tests that read ${path}: ../shared is not beside this checkout (a fresh clone has none)`);
  return null;
}
