/** Files named on the command line that are missing, folders or not JSON: said in words, with the path, exit 2. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIGURATION } from '../../handlers/adapters/configuration-file.js';
import { readReplayFolder } from '../../handlers/cli/replay-command.js';
import { capture, runCommand } from '../support/cli.js';
import { FIXTURE_DIR } from '../support/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'acm-mail-file-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const mail = join(FIXTURE_DIR, 'wildcard-domain.eml');

describe('--dkim-keys FILE', () => {
  const missing = join(work, 'no-keys.json');
  const notJson = join(work, 'keys-not-json.json');
  writeFileSync(notJson, '{\n  "s._domainkey.example.com": "v=DKIM1"\n  "t._domainkey.example.com": "v=DKIM1"\n}\n');

  it.each([
    [
      ['parse', '--dkim-keys', missing, mail],
      `acm-mail parse: cannot read the DKIM keys file ${missing}: it does not exist`,
    ],
    [['parse', '--dkim-keys', work, mail], `acm-mail parse: cannot read the DKIM keys file ${work}: it is a folder`],
    [
      ['run', '--out', join(work, 'out'), '--dkim-keys', notJson, mail],
      `acm-mail run: the DKIM keys file ${notJson} is not valid JSON: line 3, column 3: Expected ',' or '}' after property value`,
    ],
  ])('%j', async (args, message) => {
    expect(await runCommand(args)).toEqual({ exit: 2, stdout: '', stderr: `${message}\n` });
  });
});

describe('digest --preview --input FILE', () => {
  const hint = ' (run npm start first, or give --input)';
  const preview = (input: string) => ['digest', '--preview', '--input', input, '--out', join(work, 'preview.html')];

  it('names a missing input in words', async () => {
    const input = join(work, 'no-input.json');
    expect(await runCommand(preview(input))).toEqual({
      exit: 2,
      stdout: '',
      stderr: `acm-mail digest: cannot read the digest input ${input}: it does not exist${hint}\n`,
    });
  });

  it('gives the line and column of invalid JSON', async () => {
    const input = join(work, 'input-trailing-comma.json');
    writeFileSync(input, '{\n  "requests": [],\n  "securityEvents": [],\n}\n');
    expect(await runCommand(preview(input))).toEqual({
      exit: 2,
      stdout: '',
      stderr: `acm-mail digest: the digest input ${input} is not valid JSON: line 4, column 1: Expected double-quoted property name (JSON allows no comma before the closing })${hint}\n`,
    });
  });

  it('says what shape it expected', async () => {
    const input = join(work, 'input-list.json');
    writeFileSync(input, '[]');
    expect(await runCommand(preview(input))).toEqual({
      exit: 2,
      stdout: '',
      stderr: `acm-mail digest: the digest input ${input}: expected {"requests": [...], "securityEvents": [...], "canary": [...] (optional)}${hint}\n`,
    });
  });
});

describe('replay --dir DIR', () => {
  const replayDir = (dir: string) => ['replay', '--config', join(work, 'config.json'), '--dir', dir];
  writeFileSync(join(work, 'config.json'), '{}');

  it('refuses a folder that does not exist, before reading the stack (exit 2)', async () => {
    const { io, out } = capture();
    const dir = join(work, 'no-such-folder');
    expect(readReplayFolder(dir, io)).toBeNull();
    expect(out.stderr).toBe(`acm-mail replay: cannot read --dir ${dir}: it does not exist\n`);
  });

  it('refuses a file given as the folder', () => {
    const { io, out } = capture();
    expect(readReplayFolder(mail, io)).toBeNull();
    expect(out.stderr).toBe(
      `acm-mail replay: --dir ${mail}: it is a file, not a folder (give the folder that holds the .eml files)\n`,
    );
  });

  it('takes the .eml files directly in the folder, by name, and warns of every other entry', () => {
    const dir = join(work, 'saved-mail');
    mkdirSync(join(dir, 'older'), { recursive: true });
    writeFileSync(join(dir, 'b.eml'), 'B');
    writeFileSync(join(dir, 'a.eml'), 'A');
    writeFileSync(join(dir, 'notes.txt'), 'not mail');
    const { io, out } = capture();
    expect(readReplayFolder(dir, io)).toEqual({
      kind: 'files',
      files: [
        { name: 'a.eml', bytes: Buffer.from('A') },
        { name: 'b.eml', bytes: Buffer.from('B') },
      ],
    });
    expect(out.stderr).toBe(
      `acm-mail replay: skipping ${join(dir, 'notes.txt')}: not a .eml file\n` +
        `acm-mail replay: skipping ${join(dir, 'older')}: a folder (--dir takes the .eml files directly in it)\n`,
    );
  });

  it('replays nothing from a folder with a mail it cannot read', () => {
    const dir = join(work, 'broken-mail');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.eml'), 'A');
    symlinkSync(join(dir, 'gone.eml'), join(dir, 'b.eml'));
    const { io, out } = capture();
    expect(readReplayFolder(dir, io)).toBeNull();
    expect(out.stderr).toBe(
      `acm-mail replay: cannot read ${join(dir, 'b.eml')}: it is a symbolic link to ${join(dir, 'gone.eml')}, which does not exist (nothing was replayed)\n`,
    );
  });

  it('says when the folder holds no mail', () => {
    const dir = join(work, 'empty');
    mkdirSync(dir);
    const { io, out } = capture();
    expect(readReplayFolder(dir, io)).toEqual({ kind: 'files', files: [] });
    expect(out.stderr).toBe(`acm-mail replay: no .eml file in ${dir}\n`);
  });

  it('reads the configuration first: a bad one stops the command before the folder is looked at', async () => {
    const result = await runCommand(replayDir(join(work, 'no-such-folder')));
    expect(result.exit).toBe(2);
    expect(result.stderr).toMatch(/^acm-mail replay: .*config\.json: \d+ problem\(s\) in the configuration\n/);
    expect(result.stderr).not.toContain('--dir');
  });

  it('a missing folder exits 2 with the configuration readable, and asks AWS nothing', async () => {
    const dir = join(work, 'still-no-such-folder');
    expect(await runCommand(['replay', '--config', EXAMPLE_CONFIGURATION, '--dir', dir])).toEqual({
      exit: 2,
      stdout: '',
      stderr: `acm-mail replay: cannot read --dir ${dir}: it does not exist\n`,
    });
  });
});
