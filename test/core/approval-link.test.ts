import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedHostRegion,
  isAcmLookAlike,
  linkJudgeForOneMail,
  validateApprovalLink,
} from '../../handlers/core/approval-link.js';

const GOOD = 'https://us-east-1.acm-certificates.amazon.com/approvals?code=abc-123&context=def-456';

describe('validateApprovalLink', () => {
  it.each([
    [GOOD, 'us-east-1'],
    ['https://cn-north-1.acm-certificates.amazonaws.cn/approvals?code=a&context=b', 'cn-north-1'],
    ['https://eu-west-1.certificates.amazon.com/approvals?code=a&context=b', 'eu-west-1'],
    ['https://certificates.amazon.com/approvals?code=a&context=b', null],
    ['https://us-gov-west-1.acm-certificates.amazon.com/approvals?context=b&code=a', 'us-gov-west-1'],
  ])('accepts %s', (link, region) => {
    expect(validateApprovalLink(link)).toEqual({ ok: true, url: link, hostRegion: region });
  });

  it('accepts an upper-case host and returns it as a browser would open it', () => {
    expect(validateApprovalLink(GOOD.replace('us-east-1.acm', 'US-EAST-1.ACM'))).toEqual({
      ok: true,
      url: GOOD,
      hostRegion: 'us-east-1',
    });
  });

  it.each([
    ['https://us-east-1.acm-certificates.amazon.com.evil.example/approvals?code=a&context=b', 'link-host-not-allowed'],
    ['https://us-east-1.acm-certificates.amazon.com@evil.example/approvals?code=a&context=b', 'link-userinfo'],
    ['https://user:pw@us-east-1.acm-certificates.amazon.com/approvals?code=a&context=b', 'link-userinfo'],
    [
      'https://evil.example\\@us-east-1.acm-certificates.amazon.com/approvals?code=a&context=b',
      'link-forbidden-character',
    ],
    [
      'https://us-east-1.acm-certificates.amazon.com%2eevil.example/approvals?code=a&context=b',
      'link-forbidden-character',
    ],
    ['https://us-east-1.acm-certi\tficates.amazon.com/approvals?code=a&context=b', 'link-forbidden-character'],
    ['https://us-east-1.acm-certi\nficates.amazon.com/approvals?code=a&context=b', 'link-forbidden-character'],
    ['https://us-east-1.acm-certificates.amаzon.com/approvals?code=a&context=b', 'link-forbidden-character'],
    ['https://us-east-1.acm-certificates.amazon.com/approvals?code=a&context=b\u{1F600}', 'link-forbidden-character'],
    ['http://us-east-1.acm-certificates.amazon.com/approvals?code=a&context=b', 'link-not-https'],
    ['javascript:alert(1)//approvals', 'link-not-https'],
    ['us-east-1.acm-certificates.amazon.com/approvals?code=a&context=b', 'link-unparseable'],
    ['https://us-east-1.acm-certificates.amazon.com:443/approvals?code=a&context=b', 'link-port'],
    ['https://us-east-1.acm-certificates.amazon.com:8443/approvals?code=a&context=b', 'link-port'],
    ['https://xn--us-east-1-.acm-certificates.amazon.com/approvals?code=a&context=b', 'link-host-not-allowed'],
    ['https://login.acm-certificates.amazon.com/approvals?code=a&context=b', 'link-host-not-allowed'],
    ['https://acm-certificates.amazon.com/approvals?code=a&context=b', 'link-host-not-allowed'],
    ['https://us-east-1.acm-certificates.amazon.com./approvals?code=a&context=b', 'link-host-not-allowed'],
    ['https://us-east-1.acm-certificates.amazon.com/approve?code=a&context=b', 'link-path-not-approvals'],
    ['https://us-east-1.acm-certificates.amazon.com/x/../approvals?code=a&context=b', 'link-path-not-approvals'],
    ['https://us-east-1.acm-certificates.amazon.com/./approvals?code=a&context=b', 'link-path-not-approvals'],
    ['https://us-east-1.acm-certificates.amazon.com/approvals/?code=a&context=b', 'link-path-not-approvals'],
    ['https://us-east-1.acm-certificates.amazon.com/approvals?code=a', 'link-query-incomplete'],
    ['https://us-east-1.acm-certificates.amazon.com/approvals?code=a&code=c&context=b', 'link-query-incomplete'],
    ['https://us-east-1.acm-certificates.amazon.com/approvals?code=&context=b', 'link-query-incomplete'],
    ['https://us-east-1.acm-certificates.amazon.com/approvals?code=a&context=b#x', 'link-fragment'],
  ])('refuses %j (%s)', (link, reason) => {
    expect(validateApprovalLink(link)).toEqual({ ok: false, reason });
  });
});

const ALLOWED_HOSTNAME =
  /^(?:certificates\.amazon\.com|[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}\.(?:acm-certificates\.amazon\.com|acm-certificates\.amazonaws\.cn|certificates\.amazon\.com))$/;

function hostnameOf(link: string): string | null {
  try {
    return new URL(link).hostname;
  } catch {
    return null;
  }
}

describe('validateApprovalLink properties', () => {
  // Pieces an attacker would combine: allowed hosts, look-alike suffixes, separators that confuse parsers.
  const piece = fc.constantFrom(
    'https://',
    'http://',
    'us-east-1.acm-certificates.amazon.com',
    'cn-north-1.acm-certificates.amazonaws.cn',
    'certificates.amazon.com',
    '.evil.example',
    'evil.example',
    '@',
    '\\',
    '%40',
    '%2e',
    ':443',
    '\t',
    '/',
    '/approvals',
    '?code=a&context=b',
    '#',
    '.',
    'а',
    'xn--',
    '..',
    '\u3002',
    '\uff0e',
  );
  const crafted = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));

  it('never accepts a string whose WHATWG hostname is outside the allowed set', () => {
    let accepted = 0;
    // Near-genuine links, mutated piece by piece, so that the property also sees many accepted links.
    const genuineShape = fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'https://x@', 'HTTPS://'),
        fc.constantFrom(
          'us-east-1.acm-certificates.amazon.com',
          'cn-north-1.acm-certificates.amazonaws.cn',
          'certificates.amazon.com',
          'us-east-1.acm-certificates.amazon.com.evil.example',
          'evil.example',
          'us-east-1.acm-certificates.amazon.com\\evil.example',
        ),
        fc.constantFrom('/approvals', '/approvals/', '/x/../approvals', '/%61pprovals'),
        fc.constantFrom('?code=a&context=b', '?code=a', '?context=b&code=a#x'),
        fc.oneof(fc.constant(''), crafted),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(crafted, genuineShape, fc.string(), fc.webUrl({ withQueryParameters: true })), (link) => {
        const verdict = validateApprovalLink(link);
        if (verdict.ok) {
          accepted++;
          expect(hostnameOf(link)).toMatch(ALLOWED_HOSTNAME);
          expect(new URL(link).username).toBe('');
        }
      }),
      { numRuns: 30_000 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('accepts every well-formed link to an allowed host, and returns it unchanged', () => {
    const region = fc
      .tuple(
        fc.constantFrom('us', 'eu', 'ap', 'cn', 'sa', 'ca', 'me', 'af', 'il'),
        fc.constantFrom('east', 'west', 'south', 'northeast', 'central'),
        fc.integer({ min: 1, max: 9 }),
      )
      .map(([a, b, n]) => `${a}-${b}-${n}`);
    const token = fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/);
    fc.assert(
      fc.property(region, token, token, (r, code, context) => {
        // China regions are served from amazonaws.cn only, every other region from amazon.com only.
        const domain = r.startsWith('cn-') ? 'amazonaws.cn' : 'amazon.com';
        const link = `https://${r}.acm-certificates.${domain}/approvals?code=${code}&context=${context}`;
        expect(validateApprovalLink(link)).toEqual({ ok: true, url: link, hostRegion: r });
      }),
    );
  });

  it('refuses a China region on an amazon.com host and any other region on amazonaws.cn', () => {
    expect(allowedHostRegion('cn-north-1.acm-certificates.amazonaws.cn')).toBe('cn-north-1');
    expect(allowedHostRegion('cn-north-1.acm-certificates.amazon.com')).toBeNull();
    expect(allowedHostRegion('cn-north-1.certificates.amazon.com')).toBeNull();
    expect(allowedHostRegion('eu-west-1.acm-certificates.amazonaws.cn')).toBeNull();
  });

  it('allowedHostRegion agrees with the allowed-host pattern', () => {
    fc.assert(
      fc.property(fc.oneof(fc.domain(), crafted), (host) => {
        if (allowedHostRegion(host) !== null) expect(host).toMatch(ALLOWED_HOSTNAME);
      }),
    );
  });
});

/** isAcmLookAlike as it was before plain authorities were let through without a URL parse: the reference. */
function lookAlikeByUrl(raw: string): boolean {
  const lookAlike = /certificat|approval|(?:^|[.@-])acm(?:[.-]|$)|xn--|[^\x21-\x7e]/;
  const rawAuthority = (raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/\\?#]/, 1)[0] ?? '').toLowerCase();
  let hostname = '';
  try {
    hostname = new URL(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`).hostname;
  } catch {
    // judged on the raw authority alone
  }
  const genuine = hostname !== '' && allowedHostRegion(hostname) !== null && rawAuthority === hostname;
  return !genuine && (lookAlike.test(rawAuthority) || lookAlike.test(hostname));
}

describe('isAcmLookAlike', () => {
  it('judges every link as a URL parse of it would, plain authorities included', () => {
    // Links whose authority a non-http scheme ends elsewhere than http does (the backslash) are judged as well.
    for (const link of ['foo://1\\@acm', 'foo://a\\@certificates.example', 'ws://a\\@acm', 'https://a\\@acm']) {
      expect(isAcmLookAlike(link), link).toBe(lookAlikeByUrl(link));
    }
    expect(isAcmLookAlike('foo://1\\@acm')).toBe(true);
    const piece = fc.constantFrom(
      'https://',
      'HTTP://',
      'foo://',
      'ws://',
      'file://',
      'mailto:',
      '//',
      'a',
      'acm',
      'ACM',
      'xn--',
      'certificates.amazon.com',
      'us-east-1.acm-certificates.amazon.com',
      '.',
      '-',
      '..',
      '0x61',
      '1',
      '255',
      '0',
      '@',
      ':',
      ':443',
      '%61',
      '%2e',
      '\\',
      '\\\\',
      '@acm',
      '/',
      '?',
      '#',
      '\t',
      ' ',
      '\u0430',
      '\uff0e',
      '\u3002',
      '[::1]',
    );
    let plain = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join('')),
          fc.webUrl(),
        ),
        (link) => {
          if (
            /^[a-z0-9.-]+$/.test(
              (link.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/\\?#]/, 1)[0] ?? '').toLowerCase(),
            )
          ) {
            plain++;
          }
          expect(isAcmLookAlike(link)).toBe(lookAlikeByUrl(link));
        },
      ),
      { numRuns: 100_000 },
    );
    expect(plain).toBeGreaterThan(5_000);
  });
});

describe('linkJudgeForOneMail', () => {
  it("gives validateApprovalLink's verdicts, judging each link of the mail once", () => {
    const judge = linkJudgeForOneMail();
    const bad = 'https://us-east-1.acm-certificates.amazon.com@evil.example/approvals?code=a&context=b';
    expect(judge(GOOD)).toEqual(validateApprovalLink(GOOD));
    expect(judge(bad)).toEqual(validateApprovalLink(bad));
    // The second part's link is the first part's verdict, not a second judgement.
    expect(judge(GOOD)).toBe(judge(GOOD));
    // A judge is one mail's: another starts afresh.
    expect(linkJudgeForOneMail()(GOOD)).not.toBe(judge(GOOD));
  });
});
