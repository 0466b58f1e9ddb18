import { describe, expect, it } from 'vitest';
import { domainOf, parseAddressList } from '../../handlers/core/addresses.js';
import { readHeaderBlock } from '../../handlers/core/header-block.js';
import { readHeaderFacts } from '../../handlers/core/header-facts.js';

const addresses = (value: string) => parseAddressList(value)?.map((mailbox) => mailbox.address) ?? null;

describe('parseAddressList: RFC 5322 address lists from the raw field', () => {
  it.each([
    ['Amazon Certificates <no-reply@certificates.amazon.com>', ['no-reply@certificates.amazon.com']],
    ['no-reply@certificates.amazon.com', ['no-reply@certificates.amazon.com']],
    ['  NO-REPLY@Certificates.Amazon.COM  ', ['no-reply@certificates.amazon.com']],
    ['"Amazon, Certificates" <no-reply@certificates.amazon.com>', ['no-reply@certificates.amazon.com']],
    ['"no-reply@certificates.amazon.com" <attacker@evil.example>', ['attacker@evil.example']],
    ['attacker@evil.example (no-reply@certificates.amazon.com)', ['attacker@evil.example']],
    ['(comment (nested <x@y>)) Name <a@b.example>', ['a@b.example']],
    ['=?utf-8?q?J=C3=BCrgen?= <j@corp.example>', ['j@corp.example']],
    ['John Q. Public <john@example.com>', ['john@example.com']],
    ['"a b"@example.com', ['"a b"@example.com']],
    ['<@relay.example:user@host.example>', ['user@host.example']],
    ['user@[192.0.2.1]', ['user@[192.0.2.1]']],
    ['a@b.example, , c@d.example', ['a@b.example', 'c@d.example']],
    [
      'ACM: no-reply@certificates.amazon.com, attacker@evil.example;',
      ['no-reply@certificates.amazon.com', 'attacker@evil.example'],
    ],
    ['undisclosed-recipients:;', []],
    ['MAILER-DAEMON@mx.example.com (Mail Delivery System)', ['mailer-daemon@mx.example.com']],
  ])('%s', (value, expected) => {
    expect(addresses(value)).toEqual(expected);
  });

  it.each([
    ['a second angle address', 'Amazon <no-reply@certificates.amazon.com> <attacker@evil.example>'],
    ['an address in an unquoted display name', 'no-reply@certificates.amazon.com <attacker@evil.example>'],
    ['an encoded word where the address is', '=?utf-8?q?no-reply=40certificates=2Eamazon=2Ecom?='],
    ['an unbalanced quote', '"Amazon <no-reply@certificates.amazon.com>'],
    ['an unbalanced comment', 'a@b.example (x'],
    ['an unclosed angle', 'Name <a@b.example'],
    ['a null address', '<>'],
    ['a bare word', 'nobody'],
    ['a dot-atom with two dots', 'a..b@example.com'],
    ['a group without its end', 'G: a@b.example'],
    ['a backslash outside quotes', 'a\\@b.example'],
  ])('refuses %s', (_what, value) => {
    expect(parseAddressList(value)).toBeNull();
  });

  it('keeps the display name as written and bounds its work', () => {
    expect(parseAddressList('Amazon Certificates <x@y.example>')?.[0]?.displayName).toBe('Amazon Certificates');
    expect(parseAddressList(`${'a '.repeat(20_000)}<x@y.example>`)).toBeNull();
  });

  it('domainOf takes what follows the last @', () => {
    expect(domainOf('"a@b"@Evil.Example')).toBe('evil.example');
  });
});

const facts = (head: string) =>
  readHeaderFacts(readHeaderBlock(Buffer.from(`${head}\n\nbody`.replaceAll('\n', '\r\n')), 65_536));

describe('readHeaderFacts: one From, each single field once, no stray lines', () => {
  it('reads the single mailbox of the single From, and the loop-guard facts', () => {
    expect(
      facts(
        'From: Amazon Certificates <no-reply@certificates.amazon.com>\nAuto-Submitted: auto-generated\nList-Id: <x.example>',
      ),
    ).toEqual({
      from: 'no-reply@certificates.amazon.com',
      claimedFrom: ['no-reply@certificates.amazon.com'],
      autoSubmitted: 'auto-generated',
      bulk: true,
      projectHeader: false,
      probeFields: [],
      headerCut: false,
      probeFieldPastCut: false,
      findings: [],
    });
    expect(facts('From: a@b.example\nPrecedence: bulk').bulk).toBe(true);
    expect(facts('From: a@b.example\nPrecedence: first-class').bulk).toBe(false);
  });

  it.each([
    'From',
    'Sender',
    'Subject',
    'Date',
    'Message-ID',
    'Content-Type',
    'MIME-Version',
  ])('finds a second %s field, however its name is cased or spaced', (name) => {
    const result = facts(`From: a@b.example\n${name}: x\n${name.toUpperCase()} : y`);
    expect(result.findings).toContain('duplicate-header-field');
  });

  it('keeps every X-ACM-Mail-Probe field, however its name is cased, and says which was folded', () => {
    expect(facts('From: a@b.example\nX-ACM-Mail-Probe: v1; one\nx-acm-mail-probe: v1;\n two').probeFields).toEqual([
      { value: 'v1; one', folded: false },
      { value: 'v1; two', folded: true },
    ]);
    expect(facts('From: a@b.example\nX-ACM-Mail-Probes: v1').probeFields).toEqual([]);
  });

  it('claims every From address it can read, but takes none of two fields as the From', () => {
    expect(facts('From: no-reply@certificates.amazon.com\nFrom: attacker@evil.example')).toMatchObject({
      from: null,
      claimedFrom: ['no-reply@certificates.amazon.com', 'attacker@evil.example'],
      findings: ['duplicate-header-field'],
    });
  });

  it('names a From it cannot read, a list of mailboxes, and a line that is no field', () => {
    expect(facts('From: <a@b.example> <c@d.example>').findings).toEqual(['from-unreadable']);
    expect(facts('From: a@b.example, c@d.example')).toMatchObject({
      from: null,
      findings: ['multiple-from-mailboxes'],
    });
    expect(facts('From: a@b.example\nX-Note\n continued').findings).toEqual(['stray-header-line']);
    expect(facts(' folded first\nFrom: a@b.example').findings).toEqual(['stray-header-line']);
    expect(facts('From a@b.example Tue Nov 12 2024\nFrom: a@b.example').findings).toEqual([]);
  });
});
