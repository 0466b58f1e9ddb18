/**
 * The loop guard and our project header: ticket mail no longer says Auto-Submitted, so our own field is what tells
 * our mail that came back with another From (a list or forwarder that rewrote it). A forged field quiets nothing but
 * mail that is not ACM's template.
 */
import { describe, expect, it } from 'vitest';
import { parseConfiguration } from '../../../handlers/core/configuration/index.js';
import { readHeaderBlock } from '../../../handlers/core/header-block.js';
import { readHeaderFacts } from '../../../handlers/core/header-facts.js';
import { decideMail, type MailFacts } from '../../../handlers/core/routing/decide.js';
import type { AcmMailResult } from '../../../handlers/core/types.js';
import { exampleJson } from '../../support/configuration.js';

const config = parseConfiguration(exampleJson(), 'example.json');
const facts = (head: string) =>
  readHeaderFacts(readHeaderBlock(Buffer.from(`${head}\n\nbody`.replaceAll('\n', '\r\n')), 65_536));

describe('the project header in the header facts', () => {
  it('is seen in any case of its name, and only when the field is there', () => {
    expect(facts('From: list@lists.example.org\nX-ACM-Validation-Mail: ticket; request=abc').projectHeader).toBe(true);
    expect(facts('From: list@lists.example.org\nx-acm-validation-mail: summary').projectHeader).toBe(true);
    expect(facts('From: list@lists.example.org\nX-ACM-Validation: ticket').projectHeader).toBe(false);
    expect(facts('From: list@lists.example.org\nSubject: X-ACM-Validation-Mail: ticket').projectHeader).toBe(false);
  });
});

describe('the loop guard with the project header', () => {
  const notAcm = {
    kind: 'not-acm',
    trust: 'unverified',
    reasons: ['no-acm-template'],
    approval: null,
  } as unknown as AcmMailResult;
  const rewritten: MailFacts = {
    from: 'platform-list@lists.example.org',
    claimedFrom: ['platform-list@lists.example.org'],
    autoSubmitted: null,
    bulk: false,
    projectHeader: true,
  };

  it('quiets our mail that came back with another From, and records why', () => {
    expect(decideMail(notAcm, rewritten, config)).toMatchObject({ outcome: 'not-acm', loop: 'our-project-header' });
    expect(decideMail(notAcm, { ...rewritten, projectHeader: false }, config)).toMatchObject({ loop: null });
  });

  it('never quiets a mail carrying ACM template: a forged field does not silence an alert', () => {
    const forged = {
      kind: 'acm-approval',
      trust: 'suspicious',
      reasons: ['dkim-fail'],
      approval: null,
    } as unknown as AcmMailResult;
    expect(decideMail(forged, rewritten, config).outcome).toBe('suspicious');
  });
});
