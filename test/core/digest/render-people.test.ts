/** The digest as people read it: what comes first, past and future said as such, both parts alike, in each language. */
import { describe, expect, it } from 'vitest';
import { buildDigests } from '../../../handlers/core/digest/digest.js';
import { renderOwnerDigest } from '../../../handlers/core/digest/render.js';
import { en } from '../../../handlers/core/i18n/en.js';
import { ja } from '../../../handlers/core/i18n/ja.js';
import { SAMPLE_NOW, sampleConfiguration, sampleRequests } from '../../support/digest-samples.js';

function platformDigest(locale: 'en' | 'ja', perKind = 1) {
  const { requests, securityEvents, statuses } = sampleRequests(perKind, false);
  const configuration = sampleConfiguration(locale);
  const digest = buildDigests({ configuration, requests, securityEvents, now: SAMPLE_NOW, statuses }).owners.find(
    (owner) => owner.owner.name === 'platform',
  );
  if (!digest) throw new Error('no platform digest');
  const timeZone = digest.owner.timeZone ?? configuration.digest.timeZone;
  return { digest, mail: renderOwnerDigest(digest, { timeZone, now: SAMPLE_NOW, locale }) };
}

/** The first line of each block, in order, from either part. */
function headlines(text: string): string[] {
  return text.split('\n').filter((line) => /^\d+\. /.test(line));
}
function htmlHeadlines(html: string): string[] {
  return [...html.matchAll(/<div style="font-weight:bold;[^"]*">(\d+\. [^<]*)<\/div>/g)].map((match) =>
    (match[1] as string).replaceAll('&amp;', '&').replaceAll('&quot;', '"'),
  );
}

describe('the owner digest, for people', () => {
  it('starts each block with the deadline and the action, the soonest first, a deadline today marked', () => {
    const { mail } = platformDigest('en');
    expect(headlines(mail.text)).toEqual([
      '1. Approve by Mon 23 Nov 2026 15:00 CET (due today, 6 h 0 min left)',
      '2. Approve by Tue 24 Nov 2026 15:00 CET (30 h 0 min left)',
      '3. Approve by Wed 25 Nov 2026 11:00 CET (50 h 0 min left)',
      '4. Approve by Wed 25 Nov 2026 21:00 CET (60 h 0 min left)',
      '5. Window closed Sun 22 Nov 2026 03:00 CET (expired 1 day ago)',
      '6. Do not approve: requested from account 999999999999, which is not ours',
      '7. Done: ACM reports the certificate issued',
    ]);
    // The action right under the deadline: the link to click, or why there is none.
    expect(mail.text).toMatch(/\n1\. Approve by [^\n]*\n {3}Approval page: +https:\/\/eu-west-1\.acm-certificates/);
    expect(mail.text).toMatch(/\n4\. Approve by [^\n]*\n {3}Link withheld: it came only in an unverified copy/);
    const sections = [
      'Needs action (4)',
      'Expired: resend needed (1)',
      'Not our account: do not approve (1)',
      'Done (1)',
    ];
    const at = sections.map((heading) => mail.text.indexOf(`\n${heading}\n`));
    expect(at.every((index) => index > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(mail.text).toContain('4 need action (1 due today) · 1 expired · 1 not our account · 1 done.');
  });

  it('says past times as past and future ones as future, in both languages', () => {
    const english = platformDigest('en').mail;
    const japanese = platformDigest('ja').mail;
    for (const mail of [english, japanese])
      expect(`${mail.text}${mail.html}`).not.toMatch(/in -\d|-\d+ ?(h|days?|日|時間)/);
    expect(english.text).toContain('(expired 1 day ago)');
    expect(japanese.text).toContain('(1日前に期限切れ)');
    expect(japanese.text).toContain('(本日期限、残り6時間0分)');
    // Under a day: hours and minutes; a certificate's expiry: days, either way.
    expect(en.digest.windowClosed('T', { hours: 5, minutes: 12 })).toBe('Window closed T (expired 5 h 12 min ago)');
    expect(ja.digest.windowClosed('T', { hours: 5, minutes: 12 })).toBe('承認期限 T(5時間12分前に期限切れ)');
    expect(en.digest.windowClosed('T', { days: 3 })).toBe('Window closed T (expired 3 days ago)');
    expect(en.digest.certificateExpiry('T', 12)).toBe('T (renewal due in 12 days)');
    expect(en.digest.certificateExpiry('T', -3)).toBe('T (expired 3 days ago)');
    expect(ja.digest.certificateExpiry('T', -3)).toBe('T(3日前に失効)');
    expect(ja.digest.certificateExpiry('T', 12)).toBe('T(更新期限まであと12日)');
  });

  it('writes the same entries, in the same order, with the same values in the text and the HTML', () => {
    for (const locale of ['en', 'ja'] as const) {
      const { mail } = platformDigest(locale, 3);
      const text = headlines(mail.text);
      expect(text).toHaveLength(21);
      expect(htmlHeadlines(mail.html)).toEqual(text);
      // Every labelled value and every sentence under a headline is in the HTML too, escaped as HTML escapes it.
      const values = mail.text
        .split('\n')
        .filter((line) => line.startsWith('   '))
        .map((line) => line.replace(/^ {3}(?:[^:：]{1,30}: +)?/, '').trim());
      expect(values.length).toBeGreaterThan(21 * 10);
      for (const value of values) {
        if (value.startsWith('https://')) expect(mail.html).toContain(`<a href="${value.replaceAll('&', '&amp;')}"`);
        else
          expect(mail.html).toContain(value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'));
      }
    }
  });

  it('writes a Japanese owner the whole digest in Japanese: subject, headings, labels, times and relative times', () => {
    const { mail } = platformDigest('ja');
    expect(mail.subject).toBe('ACM承認: 未対応4件、本日期限1件、期限切れ1件、要注意1件、完了1件');
    expect(mail.html).toContain('<html lang="ja">');
    expect(headlines(mail.text)[0]).toBe('1. 承認期限 2026年11月23日(月) 23:00 JST(本日期限、残り6時間0分)');
    expect(mail.text).toContain('\n要対応(4件)\n');
    expect(mail.text).toContain('\n当社以外のアカウント: 承認しないでください(1件)\n');
    expect(mail.text).toMatch(/\n {3}ドメイン: +today0\.example\.com\n/);
    expect(mail.html).toContain('承認ページを開く');
    // None of the English words: every fixed word came from the Japanese catalogue.
    for (const word of [
      'Domain',
      'Approve by',
      'Needs action',
      'Expired:',
      'ago',
      'Open the approval page',
      'Reached',
    ]) {
      expect(`${mail.subject}${mail.text}${mail.html}`).not.toContain(word);
    }
  });
});
