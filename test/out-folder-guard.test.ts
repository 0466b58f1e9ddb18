/** The guard that fails npm test when a test wrote into out/ (vitest's global setup, test/support/out-folder-guard.ts). */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changedPaths, outFolderState } from './support/out-folder-guard.js';

const work = mkdtempSync(join(tmpdir(), 'acm-mail-guard-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the out/ guard', () => {
  /** A folder of the test's own standing for out/, with CI's report folder inside it. */
  function outFolder() {
    const out = join(mkdtempSync(join(work, 'case-')), 'out');
    return { out, ci: join(out, 'ci') };
  }

  it('sees a folder that was not there appear, with what is in it', () => {
    const { out, ci } = outFolder();
    const before = outFolderState(out, ci);
    mkdirSync(join(out, 'mail'), { recursive: true });
    writeFileSync(join(out, 'mail', '001-ticket.eml'), 'x');
    expect(before.size).toBe(0);
    expect(changedPaths(before, outFolderState(out, ci))).toEqual(['.', 'mail', 'mail/001-ticket.eml']);
  });

  it('sees a file rewritten with the same size, and one removed', () => {
    const { out, ci } = outFolder();
    mkdirSync(join(out, 'mail'), { recursive: true });
    writeFileSync(join(out, 'mail', '001-ticket.eml'), 'x');
    writeFileSync(join(out, 'summary.json'), '{}');
    utimesSync(join(out, 'summary.json'), new Date('2026-01-01'), new Date('2026-01-01'));
    const before = outFolderState(out, ci);
    writeFileSync(join(out, 'summary.json'), '[]');
    rmSync(join(out, 'mail', '001-ticket.eml'));
    expect(changedPaths(before, outFolderState(out, ci))).toEqual(['mail/001-ticket.eml', 'summary.json']);
  });

  it('sees nothing where nothing was written, and leaves out CI’s own report folder', () => {
    const { out, ci } = outFolder();
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'summary.json'), '{}');
    const before = outFolderState(out, ci);
    mkdirSync(ci, { recursive: true });
    writeFileSync(join(ci, 'test-results.json'), '{}');
    expect(before.size).toBeGreaterThan(0);
    expect(changedPaths(before, outFolderState(out, ci))).toEqual([]);
  });
});
