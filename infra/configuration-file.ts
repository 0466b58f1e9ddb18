/** Reads the configuration file named on the command line (`-c config=path`), or the example. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Configuration, ConfigurationError, parseConfiguration } from '../handlers/core/configuration/index.js';

export const EXAMPLE_CONFIGURATION = fileURLToPath(new URL('./config/example.json', import.meta.url));

export function readConfigurationFile(path: string): Configuration {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ConfigurationError(absolute, [`cannot be read (${(error as Error).message})`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(absolute, [`is not JSON (${(error as Error).message})`]);
  }
  return parseConfiguration(value, absolute);
}
