/** The one configuration reader (CDK app and every command): file problems in words, JSON by line and column. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIGURATION, readConfigurationFile } from '../../handlers/adapters/configuration-file.js';
import { InputFileError, lineAndColumn, unreadableReason } from '../../handlers/adapters/input-files.js';
import { ConfigurationError, parseConfiguration } from '../../handlers/core/configuration/index.js';
import { exampleWith } from '../support/configuration.js';

const work = mkdtempSync(join(tmpdir(), 'acm-mail-config-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    return error as Error;
  }
  throw new Error('it was read without an error');
}

describe('readConfigurationFile', () => {
  it('reads and validates the example', () => {
    expect(readConfigurationFile(EXAMPLE_CONFIGURATION).region).toBe('eu-west-1');
  });

  it.each([
    ['a path that does not exist', () => join(work, 'missing.json'), 'it does not exist'],
    [
      'a folder',
      () => {
        mkdirSync(join(work, 'a-folder'), { recursive: true });
        return join(work, 'a-folder');
      },
      'it is a folder',
    ],
    [
      'a symbolic link to nothing',
      () => {
        symlinkSync(join(work, 'gone.json'), join(work, 'dangling.json'));
        return join(work, 'dangling.json');
      },
      `it is a symbolic link to ${join(work, 'gone.json')}, which does not exist`,
    ],
    [
      'a path through a file',
      () => join(file('plain.txt', 'x'), 'config.json'),
      'a part of its path is a file, not a folder',
    ],
  ])('names %s and says what is wrong, in words', (_name, pathOf, reason) => {
    const path = pathOf();
    const error = errorOf(() => readConfigurationFile(path));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error.message).toBe(`cannot read the configuration ${path}: ${reason}`);
    expect((error as InputFileError).path).toBe(path);
  });

  it.each([
    [
      'a comma after the last field',
      '{\n  "region": "eu-west-1",\n}\n',
      'line 3, column 1: Expected double-quoted property name (JSON allows no comma before the closing })',
    ],
    [
      'a comma after the last list entry (V8 states no position for it)',
      '{\n  "accounts": [\n    {"id": "111111111111"},\n  ],\n}',
      "line 4, column 3: Unexpected token ']' (JSON allows no comma before the closing ])",
    ],
    ['a missing value', '{\n  "region": \n}', "line 3, column 1: Unexpected token '}'"],
    [
      'a missing comma',
      '{\n  "region": "eu-west-1"\n  "stackName": "X"\n}',
      "line 3, column 3: Expected ',' or '}' after property value",
    ],
    ['Windows line ends', '{\r\n  "a": 1,\r\n  "b": x\r\n}\r\n', "line 3, column 8: Unexpected token 'x'"],
    [
      'text that ends early',
      '{\n  "region": "eu-west-1",\n  "accounts": [\n',
      'line 4, column 1: the file ends before the JSON does',
    ],
    ['an empty file', '', 'line 1, column 1: the file ends before the JSON does'],
    ['a second value', '{}\n{}', 'line 2, column 1: Unexpected non-whitespace character after JSON'],
    [
      'a byte-order mark',
      '\uFEFF{}',
      'line 1, column 1: the file starts with a byte-order mark (save it as UTF-8 without one)',
    ],
  ])('reports invalid JSON by line and column: %s', (name, text, where) => {
    const path = file(`${name.replace(/\W+/g, '-')}.json`, text);
    const error = errorOf(() => readConfigurationFile(path));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error.message).toBe(`the configuration ${path} is not valid JSON: ${where}`);
  });

  it("reports the schema's problems exactly as parseConfiguration does, every one of them", () => {
    const invalid = exampleWith((c) => {
      c.region = 'eu-south-1';
      c.accounts[0].id = '1234';
    });
    const path = file('invalid.json', JSON.stringify(invalid, null, 2));
    const error = errorOf(() => readConfigurationFile(path));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe(errorOf(() => parseConfiguration(invalid, path)).message);
    expect((error as ConfigurationError).problems).toHaveLength(2);
  });
});

describe('unreadableReason', () => {
  // Tests run as root here, where no permission is ever denied: the error is made by hand.
  it.each([
    ['EACCES', 'permission denied'],
    ['EPERM', 'permission denied'],
    ['ELOOP', 'its symbolic links go round in a loop'],
  ])('%s reads "%s"', (code, reason) => {
    expect(unreadableReason(join(work, 'x'), Object.assign(new Error(`${code}: ...`), { code }))).toBe(reason);
  });

  it("keeps the error's own words for anything else", () => {
    expect(unreadableReason('x', Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }))).toBe(
      'EIO: i/o error, read',
    );
  });
});

describe('lineAndColumn', () => {
  it('counts from 1, lines ending at LF', () => {
    expect(lineAndColumn('ab\ncd\r\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\r\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab\ncd\r\nef', 7)).toEqual({ line: 3, column: 1 });
  });
});
