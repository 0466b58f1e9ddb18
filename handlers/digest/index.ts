/** Lambda entry of the digest: the only place that wires real clients. */
import { Logger } from '@aws-lambda-powertools/logger';
import { bundledConfiguration } from '../adapters/bundled-configuration.js';
import { makeDigest } from './digest.js';

export const handler = makeDigest({ configuration: bundledConfiguration(), logger: new Logger() });
