/** What the router records for each message: exactly one outcome per SES message id. */
export const OUTCOMES = ['routed', 'duplicate', 'foreign-account', 'suspicious', 'not-acm', 'unparseable'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** ACM approval links are valid for 72 hours (ACM User Guide, email-validation.html). */
export const APPROVAL_WINDOW_MS = 72 * 60 * 60 * 1000;
