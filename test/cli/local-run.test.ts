/** `acm-mail run`: one bad mail never stops the others; a mail too large for the S3 emulator is handled as SES would. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../handlers/cli/main.js';
import type { DeliveredEvent } from '../../handlers/local/eventbridge-stub.js';
import { FIXTURE_DKIM_KEYS, fixtureBytes } from '../support/fixtures.js';

const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'acm-mail-run-'));
const out = join(dir, 'out');
const inputs = join(dir, 'mail');
const output = { stdout: '', stderr: '', exit: -1 };

beforeAll(async () => {
  mkdirSync(inputs);
  writeFileSync(join(inputs, '1-genuine.eml'), fixtureBytes('current-new-text-html'));
  // ACM's template padded out to 25 MB (SES takes 40 MB): more than the S3 emulator stores (about 11 MiB).
  writeFileSync(
    join(inputs, '2-padded-acm-25mb.eml'),
    Buffer.concat([fixtureBytes('ses-spoofed-acm-from'), Buffer.alloc(25 * MB, 'A')]),
  );
  // A 25 MB newsletter: not ACM's.
  const newsletter = `From: News <news@shop.example>\r\nTo: admin@example.net\r\nSubject: Our catalogue\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the catalogue.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
  writeFileSync(
    join(inputs, '3-newsletter-25mb.eml'),
    Buffer.concat([Buffer.from(newsletter), Buffer.alloc(25 * MB, 'QUFB'), Buffer.from('\r\n--b--\r\n')]),
  );
  symlinkSync(join(dir, 'no-such-file.eml'), join(inputs, '4-gone.eml'));
  writeFileSync(join(inputs, '5-genuine-after.eml'), fixtureBytes('wildcard-domain'));
  // Not mail: skipped with a warning. A golden fixture's expectation beside its mail is part of it: no warning.
  writeFileSync(join(inputs, 'notes.txt'), 'not mail');
  writeFileSync(join(inputs, '1-genuine.expected.json'), '{}');
  mkdirSync(join(dir, 'empty'));
  // Someone's own files in the output folder, and mail written by an earlier run.
  mkdirSync(join(out, 'mail'), { recursive: true });
  writeFileSync(join(out, 'mail', 'my-notes.eml'), 'mine');
  writeFileSync(join(out, 'mail', '001-ticket-old-run.eml'), 'old');
  writeFileSync(join(out, 'events.jsonl'), '{"an":"earlier run"}\n');
  const io = {
    stdout: { write: (text: string) => (output.stdout += text) },
    stderr: { write: (text: string) => (output.stderr += text) },
  };
  output.exit = await main(
    ['run', '--out', out, '--dkim-keys', FIXTURE_DKIM_KEYS, inputs, join(dir, 'not-there.eml'), join(dir, 'empty')],
    io,
  );
}, 120_000);
afterAll(async () => {
  const { rmSync } = await import('node:fs');
  rmSync(dir, { recursive: true, force: true });
});

/** A path as the run shows it: relative to the folder it runs in. */
const shown = (path: string) => relative(process.cwd(), path);

describe('acm-mail run with a 25 MB mail and an unreadable file', () => {
  const summary = () =>
    JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      counts: Record<string, number>;
      files: { file: string; outcome: string; error?: string }[];
    };

  it('records an outcome for every mail and goes on past the one that failed', () => {
    expect(summary().files.map((file) => [file.file.split('/').at(-1), file.outcome])).toEqual([
      ['1-genuine.eml', 'routed'],
      ['2-padded-acm-25mb.eml', 'suspicious'],
      ['3-newsletter-25mb.eml', 'not-acm'],
      ['4-gone.eml', 'failed'],
      ['5-genuine-after.eml', 'foreign-account'],
      ['not-there.eml', 'failed'],
    ]);
    expect(summary().counts).toMatchObject({
      messages: 6,
      routed: 1,
      suspicious: 1,
      notAcm: 1,
      foreignAccount: 1,
      failed: 2,
    });
  });

  it('exits 1 and names the mail that failed, with the step and the error in words', () => {
    expect(output.exit).toBe(1);
    const gone = `it is a symbolic link to ${join(dir, 'no-such-file.eml')}, which does not exist`;
    expect(output.stderr).toContain(`acm-mail run: ${shown(join(inputs, '4-gone.eml'))} failed at read: ${gone}\n`);
    expect(output.stderr).toContain(
      `acm-mail run: ${shown(join(dir, 'not-there.eml'))} failed at read: it does not exist\n`,
    );
    expect(summary().files[3]?.error).toBe(`read: ${gone}`);
    expect(summary().files[5]?.error).toBe('read: it does not exist');
    expect(JSON.parse(output.stdout.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({ messages: 6, failed: 2 });
  });

  it('warns, before the run, of every file it skips and every path it cannot read, and of nothing else', () => {
    expect(output.stderr).toBe(
      [
        `acm-mail run: skipping ${join(inputs, 'notes.txt')}: not a .eml file`,
        `acm-mail run: cannot read ${join(dir, 'not-there.eml')}: it does not exist; it counts as one failed mail`,
        `acm-mail run: no .eml file in ${join(dir, 'empty')}`,
        `acm-mail run: ${shown(join(inputs, '4-gone.eml'))} failed at read: it is a symbolic link to ${join(dir, 'no-such-file.eml')}, which does not exist`,
        `acm-mail run: ${shown(join(dir, 'not-there.eml'))} failed at read: it does not exist`,
        '',
      ].join('\n'),
    );
  });

  it('clears only the mail an earlier run wrote, never anything else in the output folder', () => {
    expect(readFileSync(join(out, 'mail', 'my-notes.eml'), 'utf8')).toBe('mine');
    expect(existsSync(join(out, 'mail', '001-ticket-old-run.eml'))).toBe(false);
  });

  it('refuses an output folder whose mail/ holds an input', async () => {
    const refused = { stdout: '', stderr: '' };
    const exit = await main(['run', '--out', out, join(out, 'mail', 'my-notes.eml')], {
      stdout: { write: (text: string) => (refused.stdout += text) },
      stderr: { write: (text: string) => (refused.stderr += text) },
    });
    expect(exit).toBe(64);
    expect(refused.stderr).toContain(`is inside ${join(out, 'mail')}, where the run writes; choose another --out`);
  });

  it("writes every event the central bus accepted to events.jsonl, one JSON per line, none of an earlier run's", () => {
    const lines = readFileSync(join(out, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    const events = lines.map((line) => JSON.parse(line) as DeliveredEvent);
    expect(events.every((event) => event.source === 'acm-validation-mail')).toBe(true);
    const byOutcome = (outcome: string) => events.filter((event) => event.detail.outcome === outcome).length;
    expect(events.filter((e) => e['detail-type'] === 'ACM Approval Requested').map((e) => e.detail.domain)).toEqual([
      'shop.example.com',
    ]);
    // The padded forgery, the foreign-account request, and the canary round's forged probe.
    expect([byOutcome('suspicious'), byOutcome('foreign-account')]).toEqual([2, 1]);
    expect(summary().counts.events).toBe(lines.length);
    expect(output.stdout).toContain(`; ${lines.length} events on the central bus\n`);
  });

  it('keeps a mail too large for the emulator on disk, and says where, as the raw mail of its alert', () => {
    const alerts = readFileSync(join(out, 'sns-alerts.json'), 'utf8');
    expect(alerts).toContain('file://');
    expect(alerts).toContain('2-padded-acm-25mb.eml');
    expect(alerts).toContain('oversize-template');
  });
});
