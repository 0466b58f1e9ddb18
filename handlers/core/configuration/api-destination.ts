/**
 * `events.apiDestination`: an optional EventBridge API destination that sends the product's events (README, "Events
 * out") to a ticket system's HTTPS API. The credential lives in a Secrets Manager secret the user creates; the
 * configuration only names it, and CloudFormation resolves it into EventBridge's connection at deploy time (a
 * dynamic reference: the value is never in the template or in this file).
 */
import * as z from 'zod/mini';
import { PRODUCT_EVENT_TYPES } from '../product-events.js';

// arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters Secrets Manager adds>
const SECRET_ARN =
  /^arn:aws(-cn|-us-gov|-eusc)?:secretsmanager:[a-z]{2}(-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
// EventBridge: an HTTPS endpoint, which may carry `*` path parameters; no credentials in it.
const HTTPS_ENDPOINT = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[^\s@]*)?$/;
// An HTTP header name (RFC 9110 token).
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,512}$/;

const secretArn = z
  .string()
  .check(
    z.regex(
      SECRET_ARN,
      'is not a Secrets Manager secret ARN (expected arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)',
    ),
  );
/** The JSON key of the secret's value that holds the credential. */
const secretField = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_.-]{1,128}$/, 'is not a JSON key (expected letters, digits, _ . -)'));

const authorization = z.discriminatedUnion('type', [
  z.strictObject({
    /** An API key sent in a header, e.g. `Authorization` or `X-Api-Key`. */
    type: z.literal('apiKey'),
    headerName: z.string().check(z.regex(HEADER_NAME, 'is not an HTTP header name')),
    secretArn,
    /** @default "apiKey" */
    secretField: z._default(secretField, 'apiKey'),
  }),
  z.strictObject({
    /** HTTP basic: Zendesk's `<email>/token` and API token, Jira's account e-mail and API token. */
    type: z.literal('basic'),
    username: z.string().check(z.minLength(1, 'is empty (expected the user name)'), z.maxLength(512, 'is too long')),
    secretArn,
    /** @default "password" */
    secretField: z._default(secretField, 'password'),
  }),
]);

/** The request bodies we ship: the whole event, or a Zendesk-style ticket made by an input transformer. */
export const API_DESTINATION_BODIES = ['event', 'zendesk-ticket'] as const;

export const apiDestination = z.strictObject({
  endpoint: z
    .string()
    .check(
      z.regex(HTTPS_ENDPOINT, 'is not an HTTPS endpoint (expected https://host/path, no user or password in it)'),
      z.maxLength(2048, 'is longer than 2048 characters (EventBridge limit)'),
    ),
  /** @default "POST" */
  httpMethod: z._default(z.enum(['POST', 'PUT', 'PATCH']), 'POST'),
  authorization,
  /** Which of the product's events go to it. @default every detail-type */
  detailTypes: z._default(
    z
      .array(z.enum(Object.values(PRODUCT_EVENT_TYPES)))
      .check(z.minLength(1, 'is empty (expected at least one detail-type, or leave it out for all)')),
    Object.values(PRODUCT_EVENT_TYPES),
  ),
  /** EventBridge's invocation rate limit for the destination. @default 1 per second */
  rateLimitPerSecond: z._default(
    z
      .int('is not a whole number')
      .check(z.minimum(1, 'is below 1 (expected 1 to 300)'), z.maximum(300, 'is above 300 (expected 1 to 300)')),
    1,
  ),
  /** @default "event": the whole event as EventBridge delivers it */
  body: z._default(z.enum(API_DESTINATION_BODIES), 'event'),
});

export type ApiDestinationConfiguration = z.output<typeof apiDestination>;
