/** The example configuration as plain JSON, to mutate field by field in tests. */
import { readFileSync } from 'node:fs';
import { EXAMPLE_CONFIGURATION } from '../../handlers/adapters/configuration-file.js';
import { type Configuration, parseConfiguration } from '../../handlers/core/configuration/index.js';

// biome-ignore lint/suspicious/noExplicitAny: tests edit arbitrary fields, including wrong types on purpose.
export type RawConfiguration = Record<string, any>;

export function exampleJson(): RawConfiguration {
  return JSON.parse(readFileSync(EXAMPLE_CONFIGURATION, 'utf8')) as RawConfiguration;
}

export function exampleWith(edit: (config: RawConfiguration) => void): RawConfiguration {
  const config = exampleJson();
  edit(config);
  return config;
}

/** The example configuration, parsed (defaults filled in). */
export function exampleConfiguration(): Configuration {
  return parseConfiguration(exampleJson(), 'example.json');
}
