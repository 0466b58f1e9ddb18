/** Progress on stderr when it is a terminal, and not one byte of it otherwise: the output a script reads is unchanged. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../handlers/cli/main.js';
import { progressOn } from '../../handlers/cli/progress.js';
import { replayedText } from '../../handlers/cli/replay-command.js';
import { capture } from '../support/cli.js';
import { FIXTURE_DIR, FIXTURE_DKIM_KEYS } from '../support/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'acm-mail-progress-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What a person saw on the progress line, one entry per rewrite. */
function shownSteps(stderr: string): string[] {
  return stderr
    .split('\r')
    .map((text) => text.trimEnd())
    .filter((text) => text !== '');
}

describe('progressOn', () => {
  it('on a terminal rewrites one line in place and blanks it when cleared', () => {
    const { out, io } = capture(true);
    const progress = progressOn(io);
    progress.show('mail 9 of 10');
    progress.show('mail 10 of 10');
    progress.show('digest');
    progress.clear();
    // Each text covers what was longer before it; the clear leaves the cursor at the margin of a blank line.
    expect(out.stderr).toBe(`\rmail 9 of 10\rmail 10 of 10\rdigest       \r${' '.repeat(13)}\r`);
    expect(out.stdout).toBe('');
  });

  it.each([[undefined], [false]])('with isTTY %s writes nothing at all', (isTTY) => {
    const { out, io } = capture(isTTY);
    const progress = progressOn(io);
    progress.show('mail 1 of 2');
    progress.clear();
    expect(out).toEqual({ stdout: '', stderr: '' });
  });

  it('a clear with nothing shown writes nothing', () => {
    const { out, io } = capture(true);
    progressOn(io).clear();
    expect(out.stderr).toBe('');
  });
});

describe('acm-mail run', () => {
  const args = [
    'run',
    '--out',
    join(work, 'out'),
    '--dkim-keys',
    FIXTURE_DKIM_KEYS,
    join(FIXTURE_DIR, 'wildcard-domain.eml'),
    join(FIXTURE_DIR, 'current-new-text-html.eml'),
  ];
  const runs = {} as Record<'terminal' | 'pipe', { exit: number; stdout: string; stderr: string }>;

  // The same run twice, on a terminal and off it, before either test compares them.
  beforeAll(async () => {
    for (const [kind, tty] of [
      ['terminal', true],
      ['pipe', undefined],
    ] as const) {
      const { out, io } = capture(tty);
      runs[kind] = { exit: await main(args, io), ...out };
    }
  }, 120_000);

  it('on a terminal shows each step and each mail done, then blanks the line before the results', () => {
    expect(runs.terminal.exit).toBe(0);
    expect(shownSteps(runs.terminal.stderr)).toEqual([
      'starting the emulators',
      'mail 0 of 2',
      'mail 1 of 2',
      'mail 2 of 2',
      'running the mailbox canary',
      'listing the certificate estate',
      'rendering the digest',
      'stopping the emulators',
    ]);
    // Blanked as wide as the widest step shown, "listing the certificate estate".
    expect(runs.terminal.stderr).toMatch(/\r {30}\r$/);
    expect(runs.terminal.stdout).not.toContain('\r');
  });

  it('off a terminal prints nothing extra, and the same results, down to the last line', () => {
    expect(runs.pipe).toEqual({ exit: 0, stdout: runs.terminal.stdout, stderr: '' });
    expect(runs.pipe.stdout).toContain(
      'canary: 11 probes sent, 11 arrived, 0 missing; a forged probe to admin@acm-mail.example.com came out suspicious\n',
    );
    expect(JSON.parse(runs.pipe.stdout.trimEnd().split('\n').at(-1) ?? '')).toEqual({
      messages: 2,
      routed: 1,
      duplicate: 0,
      foreignAccount: 1,
      suspicious: 0,
      notAcm: 0,
      unparseable: 0,
      tickets: 1,
      // The foreign-account request's, and the local canary round's forged probe's.
      alerts: 2,
      failed: 0,
      // The example's SES-receiving mailboxes (10) and its extra inbound address, each recorded by the router.
      probesSent: 11,
      probesArrived: 11,
      // ACM Approval Requested for the routed mail; a security alert each for the foreign request and forged probe.
      events: 3,
      // acm-mail run feeds no ACM events (npm start feeds the fixtures').
      acmEvents: 0,
      ticketsClosed: 0,
      renewalAlerts: 0,
      // The local ACM stub's certificates in the example's accounts with a status role (handlers/local/estate-seed.ts).
      estate: 7,
    });
  });
});

describe('acm-mail digest --preview', () => {
  const input = join(work, 'digest-input.json');
  writeFileSync(input, JSON.stringify({ requests: [], securityEvents: [] }));
  const args = ['digest', '--preview', '--input', input, '--out', join(work, 'preview.html')];

  it('on a terminal says it is rendering, then blanks the line', async () => {
    const { out, io } = capture(true);
    expect(await main(args, io)).toBe(0);
    expect(shownSteps(out.stderr)).toEqual(['rendering the digest']);
    expect(out.stdout).toContain('nothing was sent');
  });

  it('off a terminal prints nothing on stderr', async () => {
    const { out, io } = capture(false);
    expect(await main(args, io)).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain('nothing was sent');
  });
});

describe('replay progress', () => {
  it('counts against the total where it is known beforehand', () => {
    expect(replayedText(3, { kind: 'message-ids', messageIds: ['a', 'b', 'c', 'd'] })).toBe('replayed 3 of 4');
    expect(replayedText(0, { kind: 'files', files: [{ name: 'a.eml', bytes: Buffer.from('') }] })).toBe(
      'replayed 0 of 1',
    );
    expect(replayedText(7, { kind: 'prefix', prefix: 'inbound/' })).toBe('replayed 7');
    expect(replayedText(2, { kind: 'dead-letters' })).toBe('replayed 2');
  });
});
