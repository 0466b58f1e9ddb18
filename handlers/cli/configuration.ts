/** The configuration a command runs with, through the one reader the CDK app uses too. */
import { readConfigurationFile } from '../adapters/configuration-file.js';
import { InputFileError } from '../adapters/input-files.js';
import { type Configuration, ConfigurationError } from '../core/configuration/index.js';
import type { Io } from './io.js';

/** The validated configuration, or null once every problem with it is on stderr. */
export function configurationFor(command: string, path: string, io: Io): Configuration | null {
  try {
    return readConfigurationFile(path);
  } catch (error) {
    if (!(error instanceof ConfigurationError || error instanceof InputFileError)) throw error;
    io.stderr.write(`acm-mail ${command}: ${error.message}\n`);
    return null;
  }
}
