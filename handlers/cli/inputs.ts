/** What a command reads before it works: the configuration (the one reader the CDK app uses too), pinned DKIM keys. */
import { readConfigurationFile } from '../adapters/configuration-file.js';
import { cachedTxtResolver, keysFileTxtResolver, systemTxtResolver } from '../adapters/dns-txt-resolver.js';
import { InputFileError } from '../adapters/input-files.js';
import { type Configuration, ConfigurationError } from '../core/configuration/index.js';
import type { TxtResolver } from '../core/own-dkim.js';
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

/**
 * ACM's DKIM keys for our own check: from `keysFile` when given (`--dkim-keys`), otherwise DNS with a short timeout
 * (offline, the check falls back, visibly, to SES's word). Null once the file's problem is on stderr.
 */
export function dkimResolverFor(command: string, keysFile: string | null, io: Io): TxtResolver | null {
  if (keysFile === null) return cachedTxtResolver(systemTxtResolver());
  try {
    return keysFileTxtResolver(keysFile);
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    io.stderr.write(`acm-mail ${command}: ${error.message}\n`);
    return null;
  }
}
