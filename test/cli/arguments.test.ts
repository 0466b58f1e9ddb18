/** Every command's options through parseArgs: --help, --version, unknown options, values, each said the same way. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CommandSpec, OptionSpecs } from '../../handlers/cli/arguments.js';
import { DIGEST } from '../../handlers/cli/digest-command.js';
import { DOCTOR } from '../../handlers/cli/doctor-command.js';
import { PARSE } from '../../handlers/cli/parse-command.js';
import { REPLAY } from '../../handlers/cli/replay-command.js';
import { RUN, START } from '../../handlers/cli/run-command.js';
import { runCommand } from '../support/cli.js';

const COMMANDS: [string, CommandSpec<OptionSpecs>][] = [
  ['parse', PARSE],
  ['run', RUN],
  ['start', START],
  ['digest', DIGEST],
  ['replay', REPLAY],
  ['doctor', DOCTOR],
];

describe('--help on every command', () => {
  it.each(COMMANDS)('%s --help prints its own usage on stdout and exits 0', async (name, spec) => {
    expect(spec.usage).toMatch(new RegExp(`^usage: acm-mail ${name}\\b`));
    expect(spec.usage).toContain('-h, --help');
    expect(await runCommand([name, '--help'])).toEqual({ exit: 0, stdout: `${spec.usage}\n`, stderr: '' });
    expect(await runCommand([name, '-h'])).toEqual({ exit: 0, stdout: `${spec.usage}\n`, stderr: '' });
    expect(await runCommand(['help', name])).toEqual({ exit: 0, stdout: `${spec.usage}\n`, stderr: '' });
  });

  it.each(COMMANDS)('%s: --help wins over any other problem, and runs nothing', async (name, spec) => {
    expect(await runCommand([name, '--frobnicate', 'x', '--help'])).toEqual({
      exit: 0,
      stdout: `${spec.usage}\n`,
      stderr: '',
    });
  });

  it.each(COMMANDS)("%s's usage lists every option it takes", (_name, spec) => {
    for (const option of Object.keys(spec.options)) expect(spec.usage).toContain(`--${option}`);
  });

  it.each([['--help'], ['-h'], ['help']])('acm-mail %s prints the overview, every command in it', async (flag) => {
    const { exit, stdout, stderr } = await runCommand([flag]);
    expect(exit).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^usage: acm-mail <command> \[options\]\n/);
    for (const [name] of COMMANDS) expect(stdout).toMatch(new RegExp(`^ {2}${name}\\b`, 'm'));
    expect(stdout).toContain('exit codes: 0 done, 1 a mail failed or the run failed, 2 a file or the configuration');
  });
});

describe('acm-mail --version', () => {
  it("prints package.json's version and nothing else", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(await runCommand(['--version'])).toEqual({ exit: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('usage errors name the problem, then show that command’s usage on stderr, exit 64', () => {
  it.each(COMMANDS)('%s: an unknown option', async (name, spec) => {
    expect(await runCommand([name, '--frobnicate', 'x'])).toEqual({
      exit: 64,
      stdout: '',
      stderr: `acm-mail ${name}: unknown option "--frobnicate"\n${spec.usage}\n`,
    });
  });

  it.each([
    [['parse', '-x', 'a.eml'], PARSE, 'unknown option "-x"'],
    [['parse', '--json=yes', 'a.eml'], PARSE, '--json takes no value'],
    [['parse', 'a.eml', '--dkim-keys'], PARSE, '--dkim-keys needs a value'],
    [['run', 'a.eml', '--out'], RUN, '--out needs a value'],
    [
      ['run', '--out', '--config', 'c.json', 'a.eml'],
      RUN,
      '--out needs a value, not the option "--config" (write --out=--config if that is the value)',
    ],
    [
      ['run', '--out', 'o', '--concurrency', '65', 'a.eml'],
      RUN,
      '--concurrency: "65" is not a whole number from 1 to 64',
    ],
    [['run', '--out', 'o'], RUN, 'no PATH given (.eml files or folders of them)'],
    [['run', 'a.eml'], RUN, '--out DIR is required (where the sent mail and topic messages are written)'],
    [['start', 'fixtures/mail'], START, 'takes no arguments (use "acm-mail run" for other inputs)'],
    [['digest', '--preview', 'x.json'], DIGEST, 'unexpected argument "x.json" (digest takes options only)'],
    [['digest', '--preview', '--at', 'tuesday'], DIGEST, '--at: "tuesday" is not a date and time (expected ISO 8601)'],
    [
      ['replay', '--config', 'c.json', '--dead-letters', 'x'],
      REPLAY,
      'unexpected argument "x" (replay takes options only)',
    ],
    [['replay', '--config', 'c.json', '--dead-letters=1'], REPLAY, '--dead-letters takes no value'],
  ] as const)('%j', async (args, spec, problem) => {
    expect(await runCommand([...args])).toEqual({
      exit: 64,
      stdout: '',
      stderr: `acm-mail ${args[0]}: ${problem}\n${spec.usage}\n`,
    });
  });

  it('keeps an option-like value given with =, and what follows -- as paths', async () => {
    // Both reach the run, which then fails on the configuration (a file named "--x.json" does not exist): no usage error.
    const { exit, stderr } = await runCommand(['run', '--config=--x.json', '--out', 'o', '--', '-a.eml']);
    expect(exit).toBe(2);
    expect(stderr).toBe('acm-mail run: cannot read the configuration --x.json: it does not exist\n');
  });

  it.each([
    [['--frobnicate'], 'acm-mail: unknown option "--frobnicate"'],
    [['frobnicate'], 'acm-mail: unknown command "frobnicate"'],
    [[], 'acm-mail: no command given'],
  ])('acm-mail %j', async (args, problem) => {
    const { exit, stdout, stderr } = await runCommand(args);
    expect({ exit, stdout }).toEqual({ exit: 64, stdout: '' });
    expect(stderr).toMatch(new RegExp(`^${problem}\\nusage: acm-mail <command> \\[options\\]\\n`));
  });
});
