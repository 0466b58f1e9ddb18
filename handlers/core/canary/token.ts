/**
 * The probe token: what makes a canary probe ours. An HMAC-SHA256 under the deployment's probe key (a Secrets Manager
 * secret the stack creates) over the run, the address, the time and a nonce. Without the key no one can make a token;
 * the time makes an old one stale; the run and address let the router record each probe's arrival once, so a copy
 * of a fresh probe sent again is a replay.
 *
 * The token travels in one header field, `X-ACM-Mail-Probe`, written and read by one strict grammar:
 *
 *     v1; run=20261126T060000Z-1a2b3c4d; to=admin@example.net; at=2026-11-26T06:00:00Z; nonce=<22>; mac=<43>
 *
 * (`nonce` 16 random bytes and `mac` the 32-byte HMAC, both base64url without padding). Anything else in that field,
 * folded, reordered, repeated, with extra parameters or other spacing, is not a token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PROBE_HEADER = 'X-ACM-Mail-Probe';
export const PROBE_TOKEN_VERSION = 'v1';

/** A probe older than this is stale: the canary has run again since (README, "The mailbox canary"). */
export const PROBE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Clocks disagree a little; a token from further in the future than this was not made by our canary. */
export const PROBE_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface ProbeTokenFields {
  /** The canary run: `YYYYMMDDTHHMMSSZ-` and 8 hex digits. */
  readonly runId: string;
  /** The watched address the probe was sent to, lower case. */
  readonly address: string;
  /** When the probe was sent, ISO 8601 UTC to the second (`2026-11-26T06:00:00Z`). */
  readonly sentAt: string;
  /** 16 random bytes, base64url. */
  readonly nonce: string;
}

export interface ProbeToken extends ProbeTokenFields {
  readonly mac: string;
}

export type ProbeTokenFailure =
  /** The field does not follow the grammar above. */
  | 'probe-token-malformed'
  /** The MAC does not verify under our key. */
  | 'probe-token-forged'
  /** Older than PROBE_MAX_AGE_MS. */
  | 'probe-token-stale'
  /** From further in the future than PROBE_CLOCK_SKEW_MS. */
  | 'probe-token-from-future';

export type ProbeTokenCheck =
  | { readonly ok: true; readonly token: ProbeToken }
  | { readonly ok: false; readonly reason: ProbeTokenFailure };

const RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;
const SENT_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const NONCE = /^[A-Za-z0-9_-]{22}$/;
// The watched addresses are plain, lower-case addresses (the configuration's own check); nothing here may hold `;`,
// `=` or a space, so the grammar stays unambiguous.
const ADDRESS = /^[a-z0-9!#$%&'*+/?^_`{|}~.-]{1,64}@[a-z0-9.-]{1,253}$/;
const TOKEN = new RegExp(
  '^v1; run=(\\d{8}T\\d{6}Z-[0-9a-f]{8}); to=([^;= ]{3,318}); at=(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z); ' +
    'nonce=([A-Za-z0-9_-]{22}); mac=([A-Za-z0-9_-]{43})$',
);
/** Longer than any token can be: nothing past it is read. */
const MAX_TOKEN_CHARS = 512;

/** A run id for a run started at `startedAt`, with 4 random bytes as 8 hex digits. */
export function probeRunId(startedAt: Date, random: Buffer): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${random.subarray(0, 4).toString('hex').padEnd(8, '0')}`;
}

/** The time as a token writes it: UTC to the second. */
export function probeTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 16 random bytes as a token's nonce. */
export function probeNonce(random: Buffer): string {
  if (random.length < 16) throw new Error(`a probe nonce needs 16 random bytes, got ${random.length}`);
  return random.subarray(0, 16).toString('base64url');
}

function macOf(fields: ProbeTokenFields, key: Uint8Array): Buffer {
  return createHmac('sha256', key)
    .update(
      `acm-mail-probe/${PROBE_TOKEN_VERSION}\n${fields.runId}\n${fields.address}\n${fields.sentAt}\n${fields.nonce}`,
    )
    .digest();
}

/** The header value of a probe with these fields. Throws when a field would not read back as written. */
export function signProbeToken(fields: ProbeTokenFields, key: Uint8Array): string {
  if (!RUN_ID.test(fields.runId)) throw new Error(`probe runId ${JSON.stringify(fields.runId)} is malformed`);
  if (!ADDRESS.test(fields.address)) throw new Error(`probe address ${JSON.stringify(fields.address)} is malformed`);
  if (!SENT_AT.test(fields.sentAt)) throw new Error(`probe sentAt ${JSON.stringify(fields.sentAt)} is malformed`);
  if (!NONCE.test(fields.nonce)) throw new Error(`probe nonce ${JSON.stringify(fields.nonce)} is malformed`);
  const mac = macOf(fields, key).toString('base64url');
  return `v1; run=${fields.runId}; to=${fields.address}; at=${fields.sentAt}; nonce=${fields.nonce}; mac=${mac}`;
}

/** Reads a header value by the grammar alone (no key, no clock): null when it is not a token. */
export function readProbeToken(value: string): ProbeToken | null {
  if (value.length > MAX_TOKEN_CHARS) return null;
  const match = TOKEN.exec(value.trim());
  if (match === null) return null;
  const [, runId, address, sentAt, nonce, mac] = match as unknown as [string, string, string, string, string, string];
  if (!ADDRESS.test(address) || Number.isNaN(Date.parse(sentAt))) return null;
  return { runId, address, sentAt, nonce, mac };
}

/**
 * Checks a header value: grammar, then the MAC under `key` (in constant time), then the age against `now`. The
 * caller still checks who sent it (our sender, SES's DKIM pass for our domain) and that its arrival is the first.
 */
export function verifyProbeToken(value: string, key: Uint8Array, now: Date): ProbeTokenCheck {
  const token = readProbeToken(value);
  if (token === null) return { ok: false, reason: 'probe-token-malformed' };
  // Compared as text: base64url leaves spare bits in its last character, and only our own spelling is a token.
  const expected = Buffer.from(macOf(token, key).toString('base64url'));
  const given = Buffer.from(token.mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'probe-token-forged' };
  }
  const age = now.getTime() - Date.parse(token.sentAt);
  if (age > PROBE_MAX_AGE_MS) return { ok: false, reason: 'probe-token-stale' };
  if (age < -PROBE_CLOCK_SKEW_MS) return { ok: false, reason: 'probe-token-from-future' };
  return { ok: true, token };
}
