/** What the router records for each message: exactly one outcome per SES message id. */
/** `probe`: one of our canary's probes, recorded as arrived (never a ticket, never an alert). */
export const OUTCOMES = [
  'routed',
  'duplicate',
  'foreign-account',
  'suspicious',
  'not-acm',
  'unparseable',
  'probe',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** ACM approval links are valid for 72 hours (ACM User Guide, email-validation.html). */
export const APPROVAL_WINDOW_MS = 72 * 60 * 60 * 1000;
