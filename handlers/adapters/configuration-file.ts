/**
 * The one reader of a configuration file, for the CDK app (`-c config=path`) and every acm-mail command: a file that
 * is missing, a folder or unreadable, and text that is not JSON, are an `InputFileError` naming the path (with the
 * line and column for JSON); a configuration that breaks the schema is a `ConfigurationError`, as from
 * `parseConfiguration`. Deployed functions read the bundled copy instead (bundled-configuration.ts).
 */
import { fileURLToPath } from 'node:url';
import { type Configuration, parseConfiguration } from '../core/configuration/index.js';
import { readJsonFile } from './input-files.js';

/** The example configuration: what `cdk synth`, `npm start` and `acm-mail run` use unless given another. */
export const EXAMPLE_CONFIGURATION = fileURLToPath(new URL('../../infra/config/example.json', import.meta.url));

/** Errors name `path` as given: pass it absolute where the reader does not know the working folder. */
export function readConfigurationFile(path: string): Configuration {
  return parseConfiguration(readJsonFile(path, 'the configuration'), path);
}
