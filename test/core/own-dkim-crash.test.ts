/**
 * When mailauth itself gives up on a mail (throws), our check fails the mail rather than standing aside: ACM's own
 * mail never makes it throw, so the sender did, and a sender must not be able to switch the second witness off.
 * A file of its own because mailauth is replaced for the whole file.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseAcmMail } from '../../handlers/core/parse-mail.js';
import { fixtureBytes, fixtureDkim } from '../support/fixtures.js';

vi.mock('mailauth/lib/dkim/verify.js', () => ({
  dkimVerify: async () => {
    throw new Error('mailauth could not read this message');
  },
}));

describe('our own DKIM check when mailauth throws', () => {
  it("fails the mail SES says ACM signed: suspicious, never SES's word alone", async () => {
    expect(await parseAcmMail(fixtureBytes('current-new-text-html'), { dkim: fixtureDkim() })).toMatchObject({
      trust: 'suspicious',
      reasons: ['dkim-disagreement', 'from-acm-unauthenticated'],
    });
  });
});
