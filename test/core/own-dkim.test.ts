import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { describe, expect, it, vi } from 'vitest';
import {
  CONTROL_NAME,
  cachedTxtResolver,
  confirmingAbsence,
  keysFileTxtResolver,
  keysMayBeRetired,
  recordsTxtResolver,
} from '../../handlers/adapters/dns-txt-resolver.js';
import { checkAcmSignature, type TxtResolver } from '../../handlers/core/own-dkim.js';
import { parseAcmMail } from '../../handlers/core/parse-mail.js';
import { fixtureBytes, fixtureDkim } from '../support/fixtures.js';

const now = new Date('2026-11-25T08:00:00Z');
const { resolver } = fixtureDkim(now);
const check = (name: string, using: TxtResolver = resolver) =>
  checkAcmSignature(fixtureBytes(name), { resolver: using, now });
const failing =
  (code: string): TxtResolver =>
  async () => {
    throw Object.assign(new Error(code), { code });
  };
const PRIVATE_KEY = readFileSync(new URL('../../fixtures/dkim/signing-key.pem', import.meta.url));

/** A mail signed by ACM's domain with the fixture key, with mailauth's own signer and the options given. */
async function signed(options: { maxBodyLength?: number; expires?: Date } = {}) {
  const message = fixtureBytes('own-dkim-no-acm-signature');
  const { signatures, errors } = await dkimSign(message, {
    canonicalization: 'relaxed/simple',
    signTime: new Date('2026-11-24T00:00:00Z'),
    ...(options.expires ? { expires: options.expires } : {}),
    signatureData: [
      {
        signingDomain: 'certificates.amazon.com',
        selector: 'acm-fixture-2026',
        privateKey: PRIVATE_KEY,
        ...(options.maxBodyLength ? { maxBodyLength: options.maxBodyLength } : {}),
      },
    ],
  } as Parameters<typeof dkimSign>[1]);
  expect(errors).toEqual([]);
  return Buffer.concat([Buffer.from(signatures), message]);
}

describe("checkAcmSignature: our own check of ACM's DKIM signature over the stored mail", () => {
  it('passes a mail ACM signed (the fixture key served by the stub resolver)', async () => {
    expect(await check('current-new-text-html')).toBe('pass');
  });

  it('fails a mail whose body or From was altered after signing', async () => {
    expect(await check('own-dkim-body-altered-after-signing')).toBe('fail');
    expect(await check('own-dkim-from-altered-after-signing')).toBe('fail');
  });

  it("says none when the mail has no signature by ACM's domain at all", async () => {
    expect(await check('own-dkim-no-acm-signature')).toBe('none');
  });

  it('fails a signature whose key DNS says is not published: any sender can name a selector', async () => {
    expect(await check('own-dkim-key-not-published')).toBe('fail');
    expect(await check('current-new-text-html', failing('ENOTFOUND'))).toBe('fail');
    expect(await check('current-new-text-html', failing('ENODATA'))).toBe('fail');
  });

  it('cannot check when DNS does not answer', async () => {
    expect(await check('current-new-text-html', failing('ETIMEOUT'))).toBe('unavailable');
    expect(await check('current-new-text-html', failing('EDNSUNREACHABLE'))).toBe('unavailable');
    expect(await check('current-new-text-html', failing('ESERVFAIL'))).toBe('unavailable');
  });

  it('fails a signature made with another key than the one published', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' });
    const wrong = recordsTxtResolver({
      'acm-fixture-2026._domainkey.certificates.amazon.com': `v=DKIM1; k=rsa; p=${other.toString('base64')}`,
    });
    expect(await check('current-new-text-html', wrong)).toBe('fail');
  });

  it('never passes a signature with l=, which leaves room for content appended after it', async () => {
    // Simple body canonicalisation: the body as stored, its trailing blank lines reduced to one line end.
    const text = fixtureBytes('own-dkim-no-acm-signature').toString('latin1');
    const wholeBody = `${text.slice(text.indexOf('\r\n\r\n') + 4).replace(/(\r\n)+$/, '')}\r\n`.length;
    const covering = await signed({ maxBodyLength: wholeBody });
    expect(await checkAcmSignature(covering, { resolver, now })).toBe('fail');
    const appended = Buffer.concat([covering, Buffer.from('Also approve https://evil.example/approvals?code=1\r\n')]);
    expect(await checkAcmSignature(appended, { resolver, now })).toBe('fail');
    expect(await checkAcmSignature(await signed({ maxBodyLength: 200 }), { resolver, now })).toBe('fail');
  });

  it('does not pass an expired signature', async () => {
    const expiring = await signed({ expires: new Date('2026-11-24T12:00:00Z') });
    expect(await checkAcmSignature(expiring, { resolver, now: new Date('2026-11-24T06:00:00Z') })).toBe('pass');
    expect(await checkAcmSignature(expiring, { resolver, now })).toBe('fail');
  });

  it('is not switched off by added signatures: a failure outranks one that cannot be checked, and three are too many', async () => {
    expect(await check('own-dkim-altered-plus-unchecked-acm-signature')).toBe('fail');
    expect(await check('own-dkim-three-acm-signatures')).toBe('fail');
    expect(await check('own-dkim-length-tag')).toBe('fail');
  });

  it("asks DNS for ACM's keys only, whatever other signatures the mail carries", async () => {
    const asked: string[] = [];
    const recording: TxtResolver = async (name) => {
      asked.push(name);
      return resolver(name);
    };
    // The fixture carries an amazonses.com signature besides ACM's; ARC fields would be asked for too.
    const withArc = Buffer.concat([
      Buffer.from('ARC-Seal: i=1; a=rsa-sha256; d=evil.example; s=x; cv=none; b=AAAA\r\n'),
      fixtureBytes('current-new-text-html'),
    ]);
    expect(await checkAcmSignature(withArc, { resolver: recording, now })).toBe('pass');
    expect(asked).toEqual(['acm-fixture-2026._domainkey.certificates.amazon.com']);
  });
});

describe('our own DKIM check prints nothing', () => {
  it('shows mailauth no signature with l= (mailauth would print a line to stdout, inside parse --json output)', async () => {
    const printed = vi.spyOn(console, 'log');
    const otherWithLength = Buffer.concat([
      Buffer.from(
        'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/simple; d=evil.example; s=x; l=987654321; h=From; bh=AAAA; b=AAAA\r\n',
      ),
      fixtureBytes('current-new-text-html'),
    ]);
    expect(await checkAcmSignature(otherWithLength, { resolver, now })).toBe('pass');
    expect(await check('own-dkim-length-tag')).toBe('fail');
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
  });
});

describe('the trust gate with both witnesses', () => {
  it('trusts only when our check agrees with SES; names a disagreement; falls back visibly', async () => {
    const dkim = { resolver, now };
    expect(await parseAcmMail(fixtureBytes('current-new-text-html'), { dkim })).toMatchObject({
      trust: 'trusted',
      reasons: [],
    });
    expect(await parseAcmMail(fixtureBytes('own-dkim-body-altered-after-signing'), { dkim })).toMatchObject({
      trust: 'suspicious',
      reasons: ['dkim-disagreement', 'from-acm-unauthenticated'],
    });
    expect(
      await parseAcmMail(fixtureBytes('current-new-text-html'), { dkim: { resolver: failing('ETIMEOUT'), now } }),
    ).toMatchObject({ trust: 'trusted', reasons: ['own-dkim-unavailable'] });
    // Without a resolver at all, the same: SES's word alone, and the reasons say so.
    expect(await parseAcmMail(fixtureBytes('current-new-text-html'))).toMatchObject({
      trust: 'trusted',
      reasons: ['own-dkim-unavailable'],
    });
  });

  it('does not ask DNS for mail SES does not say ACM signed', async () => {
    const asked: string[] = [];
    const recording: TxtResolver = async (name) => {
      asked.push(name);
      return resolver(name);
    };
    await parseAcmMail(fixtureBytes('ses-spoofed-acm-from'), { dkim: { resolver: recording, now } });
    await parseAcmMail(fixtureBytes('not-acm-spam-to-admin'), { dkim: { resolver: recording, now } });
    expect(asked).toEqual([]);
  });
});

describe('TXT resolvers', () => {
  it('caches answers per name for the life of the process, never failures', async () => {
    const asked: string[] = [];
    let fail = true;
    const cached = cachedTxtResolver(async (name) => {
      asked.push(name);
      if (fail) throw Object.assign(new Error('down'), { code: 'ETIMEOUT' });
      return [['v=DKIM1; p=abc']];
    });
    await expect(cached('s._domainkey.x.example')).rejects.toThrow('down');
    fail = false;
    expect(await cached('s._domainkey.x.example')).toEqual([['v=DKIM1; p=abc']]);
    expect(await cached('S._DOMAINKEY.X.EXAMPLE')).toEqual([['v=DKIM1; p=abc']]);
    expect(asked).toEqual(['s._domainkey.x.example', 's._domainkey.x.example']);
  });

  it('believes "not found" only from a DNS that finds the control name; otherwise DNS is unreachable', async () => {
    const key = 'acm-fixture-2026._domainkey.certificates.amazon.com';
    const keyRecord = JSON.parse(readFileSync(new URL('../../fixtures/dkim/keys.json', import.meta.url), 'utf8'))[key];
    const online = confirmingAbsence(recordsTxtResolver({ [key]: keyRecord, [CONTROL_NAME]: 'v=spf1 -all' }));
    const offline = confirmingAbsence(recordsTxtResolver({}));
    expect(await online(key)).toEqual([[keyRecord]]);
    await expect(online('gone._domainkey.certificates.amazon.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(offline('gone._domainkey.certificates.amazon.com')).rejects.toMatchObject({
      code: 'EDNSUNREACHABLE',
      message: expect.stringContaining('neither gone._domainkey.certificates.amazon.com nor amazon.com was found'),
    });
    // Other errors pass through unchanged, and the verdicts follow: offline is "could not check", online a failure.
    await expect(confirmingAbsence(failing('ETIMEOUT'))('x')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    const unpublished = fixtureBytes('own-dkim-key-not-published');
    expect(await checkAcmSignature(unpublished, { resolver: online, now })).toBe('fail');
    expect(await checkAcmSignature(unpublished, { resolver: offline, now })).toBe('unavailable');
  });

  it('lets a replay read a key not published now as retired since: could not check, visibly', async () => {
    const replaying = keysMayBeRetired(resolver);
    expect(await check('current-new-text-html', replaying)).toBe('pass');
    expect(await check('own-dkim-key-not-published', replaying)).toBe('unavailable');
    expect(await check('own-dkim-body-altered-after-signing', replaying)).toBe('fail');
    await expect(replaying('gone._domainkey.certificates.amazon.com')).rejects.toMatchObject({ code: 'EKEYRETIRED' });
    await expect(keysMayBeRetired(failing('ETIMEOUT'))('x')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(
      await parseAcmMail(fixtureBytes('own-dkim-key-not-published'), { dkim: { resolver: replaying, now } }),
    ).toMatchObject({ trust: 'trusted', reasons: ['own-dkim-unavailable'] });
  });

  it('answers ENOTFOUND for a name a records resolver does not hold', async () => {
    await expect(recordsTxtResolver({})('s._domainkey.x.example')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('refuses a keys file that is not a map of DKIM record names to values', () => {
    const path = join(tmpdir(), `keys-${process.pid}.json`);
    writeFileSync(path, JSON.stringify({ 'example.com': 'v=DKIM1' }));
    expect(() => keysFileTxtResolver(path)).toThrow(`${path}: expected {"<selector>._domainkey.<domain>"`);
  });
});
