/**
 * The deployment's configuration as infra bundled it into this function (esbuild `define`; the 4 KB of Lambda
 * environment variables would not hold a large organisation's owners and accounts). Validated again here, with the
 * same schema as at synth time, so a hand-edited bundle cannot run on a configuration the synth would refuse.
 */
import { type Configuration, parseConfiguration } from '../core/configuration/index.js';

declare const __ACM_MAIL_CONFIGURATION__: string | undefined;

export function bundledConfiguration(): Configuration {
  if (typeof __ACM_MAIL_CONFIGURATION__ !== 'string') {
    throw new Error('no configuration was bundled into this function (infra passes it to esbuild as a define)');
  }
  return parseConfiguration(JSON.parse(__ACM_MAIL_CONFIGURATION__), 'bundled configuration');
}
