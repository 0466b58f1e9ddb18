import { describe, expect, it } from 'vitest';
import {
  PROBE_MAX_AGE_MS,
  probeNonce,
  probeRunId,
  probeTime,
  readProbeToken,
  signProbeToken,
  verifyProbeToken,
} from '../../../handlers/core/canary/token.js';

const key = Buffer.from('k'.repeat(64));
const sentAt = new Date('2026-11-26T06:00:00.123Z');
const fields = {
  runId: probeRunId(sentAt, Buffer.from([0x1a, 0x2b, 0x3c, 0x4d])),
  address: 'admin@example.net',
  sentAt: probeTime(sentAt),
  nonce: probeNonce(Buffer.alloc(16, 7)),
};
const token = signProbeToken(fields, key);
const at = (ms: number) => new Date(Date.parse(fields.sentAt) + ms);

describe('probe token', () => {
  it('is written in the documented grammar and reads back', () => {
    expect(fields.runId).toBe('20261126T060000Z-1a2b3c4d');
    expect(token).toMatch(
      /^v1; run=20261126T060000Z-1a2b3c4d; to=admin@example\.net; at=2026-11-26T06:00:00Z; nonce=[\w-]{22}; mac=[\w-]{43}$/,
    );
    expect(readProbeToken(token)).toMatchObject(fields);
  });

  it('verifies under the key, fresh', () => {
    expect(verifyProbeToken(token, key, at(30 * 60_000))).toEqual({
      ok: true,
      token: { ...fields, mac: expect.any(String) },
    });
  });

  it('is forged under another key, or with any field changed', () => {
    expect(verifyProbeToken(token, Buffer.from('another key'), at(0))).toEqual({
      ok: false,
      reason: 'probe-token-forged',
    });
    const changed = [
      token.replace('to=admin@', 'to=webmaster@'),
      token.replace('run=20261126T060000Z-1a2b3c4d', 'run=20261126T060000Z-1a2b3c4e'),
      token.replace('at=2026-11-26T06:00:00Z', 'at=2026-11-26T06:00:01Z'),
      token.replace(/nonce=./, 'nonce=A'),
    ];
    for (const value of changed) {
      expect(value).not.toBe(token);
      expect(verifyProbeToken(value, key, at(0))).toEqual({ ok: false, reason: 'probe-token-forged' });
    }
  });

  it('accepts only our own spelling of the MAC (base64url has spare bits in its last character)', () => {
    const mac = /mac=([\w-]{43})$/.exec(token)?.[1] ?? '';
    const last = mac.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] ?? '';
    const respelled = token.slice(0, -1) + sibling;
    expect(Buffer.from(respelled.slice(-43), 'base64url')).toEqual(Buffer.from(mac, 'base64url'));
    expect(verifyProbeToken(respelled, key, at(0))).toEqual({ ok: false, reason: 'probe-token-forged' });
  });

  it('is stale after a day and refused from the future beyond five minutes', () => {
    expect(verifyProbeToken(token, key, at(PROBE_MAX_AGE_MS)).ok).toBe(true);
    expect(verifyProbeToken(token, key, at(PROBE_MAX_AGE_MS + 1000))).toEqual({
      ok: false,
      reason: 'probe-token-stale',
    });
    expect(verifyProbeToken(token, key, at(-4 * 60_000)).ok).toBe(true);
    expect(verifyProbeToken(token, key, at(-6 * 60_000))).toEqual({ ok: false, reason: 'probe-token-from-future' });
  });

  it('is malformed when reordered, repeated, folded, extended or oversized', () => {
    const parts = token.split('; ');
    const malformed = [
      [parts[0], parts[2], parts[1], ...parts.slice(3)].join('; '),
      `${token}; mac=${'A'.repeat(43)}`,
      token.replace('; to=', ';\r\n to='),
      token.replace('; to=', ';  to='),
      token.replace('v1;', 'v2;'),
      `${token}; x=1`,
      token.replace('to=admin@example.net', 'to=Admin@example.net'),
      token.replace('to=admin@example.net', 'to="a;b"@example.net'),
      token.replace('at=2026-11-26T06:00:00Z', 'at=2026-13-45T06:00:00Z'),
      `${token}${' '.repeat(600)}x`,
      '',
    ];
    for (const value of malformed) {
      expect(verifyProbeToken(value, key, at(0))).toEqual({ ok: false, reason: 'probe-token-malformed' });
    }
  });

  it('refuses to sign fields that would not read back', () => {
    expect(() => signProbeToken({ ...fields, address: 'a; mac=x@example.net' }, key)).toThrow(/address/);
    expect(() => signProbeToken({ ...fields, runId: 'today' }, key)).toThrow(/runId/);
  });
});
