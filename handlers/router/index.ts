/** Lambda entry of the router: the only place that wires real clients. */
import { Logger } from '@aws-lambda-powertools/logger';
import { bundledConfiguration } from '../adapters/bundled-configuration.js';
import { makeRouter } from './router.js';

export const handler = makeRouter({ configuration: bundledConfiguration(), logger: new Logger() });
