/**
 * Every golden fixture through the router on the emulators, one after another as mail would arrive, and every output
 * each one produces read back: the outcome its verdict calls for, and no live approval link or approval secret in any
 * mail, topic message, product event on the central bus, log line or digest, except in the ticket of a trusted
 * request from one of our accounts and, since every owner here opted in (`snsApprovalLinks`), in that request's
 * approvals message and `ACM Approval Requested` event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbDigestStore } from '../../handlers/adapters/dynamodb-digest-store.js';
import type { Outcome } from '../../handlers/core/routing/outcomes.js';
import { type DigestRun, makeDigest } from '../../handlers/digest/digest.js';
import type { DeliveredEvent } from '../../handlers/local/eventbridge-stub.js';
import { exampleWith } from '../support/configuration.js';
import { fixtureBytes, type GoldenFixture, goldenFixtures } from '../support/fixtures.js';
import { type Harness, startHarness } from '../support/local-aws.js';

/** What one fixture made the pipeline say, everywhere. */
interface Produced {
  readonly fixture: GoldenFixture;
  readonly outcome: Outcome;
  readonly mails: readonly { readonly to: readonly string[]; readonly text: string }[];
  readonly approvalsMessages: readonly string[];
  readonly alertsMessages: readonly string[];
  /** The product events the central bus (the EventBridge stub) accepted for it. */
  readonly busEvents: readonly DeliveredEvent[];
  readonly logs: readonly string[];
}

const LIVE_ACM_LINK = /https?:[/\\]{1,2}[^\s"'<>]*(?:certificates|acm)[^\s"'<>]*[/\\]approvals/i;
/** The approval secrets a mail carries, however it is encoded (quoted-printable writes `code=3D...`). */
function secretsOf(fixture: GoldenFixture): string[] {
  const raw = fixtureBytes(fixture.name).toString('latin1').replace(/=\r\n/g, '');
  return [...raw.matchAll(/\b(?:code|context)=(?:3D)?([0-9A-Za-z-]{6,})/g)].map((match) => match[1] as string);
}

const fixtures = goldenFixtures();
let h: Harness;
let ours: Set<string>;
const produced: Produced[] = [];
let digest: DigestRun;

beforeAll(async () => {
  // Every owner opted in to links beside the ticket: the strictest case for the link rule.
  h = await startHarness({
    configuration: exampleWith((c) => {
      for (const owner of c.owners) owner.snsApprovalLinks = true;
    }),
  });
  ours = new Set(h.configuration.accounts.list.map((account) => account.id));
  const router = h.router();
  for (const fixture of fixtures) {
    const sent = h.sent.length;
    const logged = h.logs.length;
    const put = h.busEvents().length;
    const [approvalsBefore, alertsBefore] = [
      (await h.topicMessages('approvals')).length,
      (await h.topicMessages('alerts')).length,
    ];
    const [outcome] = await router(h.event(await h.deliver(fixtureBytes(fixture.name))));
    produced.push({
      fixture,
      outcome: outcome?.outcome as Outcome,
      mails: h.sent.slice(sent).map((record) => ({
        to: record.mail.to,
        text: `${record.mail.subject}\n${record.mail.text}\n${record.mail.html}\n${record.raw}`,
      })),
      approvalsMessages: (await h.topicMessages('approvals'))
        .slice(approvalsBefore)
        .map((message) => JSON.stringify(message)),
      alertsMessages: (await h.topicMessages('alerts')).slice(alertsBefore).map((message) => JSON.stringify(message)),
      busEvents: h.busEvents().slice(put),
      logs: h.logs.slice(logged).map((line) => JSON.stringify(line)),
    });
  }
  digest = await makeDigest({
    configuration: h.configuration,
    store: dynamoDbDigestStore(h.clients.dynamodb, h.table),
    mailer: null,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    clock: () => new Date(),
  })();
}, 120_000);
afterAll(() => h.stop());

/** The outcomes a fixture's expected parse allows. */
function allowedOutcomes(fixture: GoldenFixture): Outcome[] {
  const { expected } = fixture;
  if (expected.kind === 'not-acm') {
    // Mail claiming ACM's sender that fails a check is alerted however it is dressed.
    return expected.reasons.includes('from-acm-unauthenticated') ? ['suspicious'] : ['not-acm'];
  }
  if (expected.trust === 'suspicious')
    return expected.approval === null ? ['suspicious', 'unparseable'] : ['suspicious'];
  if (expected.approval === null) return ['unparseable'];
  return ours.has(expected.approval.accountId) ? ['routed', 'duplicate'] : ['foreign-account'];
}

describe('every golden fixture through the router', () => {
  it('routes all of them (the list is not empty)', () => {
    expect(produced).toHaveLength(fixtures.length);
    expect(fixtures.length).toBeGreaterThan(100);
  });

  it.each(fixtures.map((fixture) => [fixture.name] as const))('%s: the outcome its verdict calls for', (name) => {
    const result = produced.find((entry) => entry.fixture.name === name);
    expect(allowedOutcomes(result?.fixture as GoldenFixture)).toContain(result?.outcome);
  });

  it.each(
    fixtures.map((fixture) => [fixture.name] as const),
  )('%s: no live link or approval secret in any output, but the ticket of a trusted request of ours', (name) => {
    const result = produced.find((entry) => entry.fixture.name === name) as Produced;
    const { expected } = result.fixture;
    const mayShowLink =
      expected.kind === 'acm-approval' &&
      expected.trust === 'trusted' &&
      expected.approval !== null &&
      ours.has(expected.approval.accountId);
    const secrets = secretsOf(result.fixture);
    const tickets = result.mails.filter((mail) => mail.to.some((address) => address.includes('tickets@')));
    const elsewhere = [
      ...result.mails.filter((mail) => !tickets.includes(mail)).map((mail) => mail.text),
      ...(mayShowLink ? [] : tickets.map((mail) => mail.text)),
      ...(mayShowLink ? [] : result.approvalsMessages),
      ...result.alertsMessages,
      ...(mayShowLink ? [] : result.busEvents.map((event) => JSON.stringify(event))),
      ...result.logs,
    ];
    for (const output of elsewhere) {
      expect(output).not.toMatch(LIVE_ACM_LINK);
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
  });

  it.each(
    fixtures.map((fixture) => [fixture.name] as const),
  )('%s: the product events its outcome calls for, on the central bus, keyed by its message', (name) => {
    const result = produced.find((entry) => entry.fixture.name === name) as Produced;
    const types = result.busEvents.map((event) => event['detail-type']);
    if (result.outcome === 'routed') expect(types).toEqual(['ACM Approval Requested']);
    else if (['suspicious', 'foreign-account', 'unparseable'].includes(result.outcome)) {
      // One alert per identity (five copies, one alert), within the hourly budget of forgery alerts.
      expect(types.every((type) => type === 'ACM Approval Security Alert')).toBe(true);
      expect(types.length).toBeLessThanOrEqual(1);
      if (types.length === 1) expect(result.busEvents[0]?.detail.outcome).toBe(result.outcome);
    } else expect(types).toEqual([]);
    for (const event of result.busEvents) {
      expect(event.source).toBe('acm-validation-mail');
      expect(event.detail.schemaVersion).toBe('1');
      expect(result.logs.join('\n')).toContain(String(event.detail.outcomeKey));
    }
  });

  it('the link rule is tested, not vacuous: opted-in trusted requests of ours carry the link in their event', () => {
    const withLink = produced.flatMap((entry) =>
      entry.busEvents.filter((event) => typeof event.detail.approvalLink === 'string'),
    );
    expect(withLink.length).toBeGreaterThan(5);
    for (const event of withLink) expect(String(event.detail.approvalLink)).toMatch(LIVE_ACM_LINK);
    expect(produced.filter((entry) => entry.outcome !== 'routed' && entry.busEvents.length > 0).length).toBeGreaterThan(
      5,
    );
  });

  it('in the digest, a link is clickable only when that very link came in trusted mail from our account', () => {
    const trustedLinks = new Set(
      fixtures
        .filter((f) => f.expected.trust === 'trusted' && f.expected.approval && ours.has(f.expected.approval.accountId))
        .map((f) => f.expected.approval?.approvalUrl),
    );
    const html = digest.mails.map((mail) => mail.html).join('\n');
    const hrefs = [...html.matchAll(/<a href="([^"]+)"/g)].map((match) =>
      (match[1] as string).replaceAll('&amp;', '&'),
    );
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(trustedLinks).toContain(href);
    const everything = digest.mails.map((mail) => `${mail.subject}\n${mail.text}\n${mail.html}`).join('\n');
    for (const fixture of fixtures) {
      const untrusted =
        fixture.expected.trust !== 'trusted' || !trustedLinks.has(fixture.expected.approval?.approvalUrl);
      if (!untrusted) continue;
      for (const secret of secretsOf(fixture)) {
        if ([...trustedLinks].some((link) => link?.includes(secret))) continue;
        expect(everything, `${fixture.name}: ${secret}`).not.toContain(secret);
      }
    }
  });

  it('a trusted request followed by an unverified copy with another link: the follow-up withholds it, the digest keeps the trusted one', () => {
    const [trusted, copy] = ['link-trust-1-trusted-request', 'link-trust-2-forwarded-copy-with-another-link'].map(
      (name) => produced.find((entry) => entry.fixture.name === name) as Produced,
    );
    expect([trusted?.outcome, copy?.outcome]).toEqual(['routed', 'routed']);
    const followUp = copy?.mails.find((mail) => mail.text.startsWith('Re: [ACM approval] new www.example.net'));
    expect(followUp?.text).toContain('NOT authenticated (a forward, or a forgery). Its link is withheld.');
    const entry = digest.mails.find((mail) => mail.text.includes('www.example.net'));
    expect(entry?.html).toContain(
      `<a href="${trusted?.fixture.expected.approval?.approvalUrl?.replace('&', '&amp;')}"`,
    );
    expect(entry?.text).toContain('A later UNAUTHENTICATED copy brought another link: not shown.');
  });

  it('a subject that is a whole approval URL reaches no output as a link or with its secrets', () => {
    const free = produced.filter((entry) => entry.fixture.name.startsWith('free-text-'));
    expect(free).toHaveLength(8);
    const outputs = free.flatMap((entry) => [
      ...entry.mails.map((m) => m.text),
      ...entry.approvalsMessages,
      ...entry.alertsMessages,
      ...entry.busEvents.map((event) => JSON.stringify(event)),
      ...entry.logs,
    ]);
    expect(outputs.length).toBeGreaterThan(3);
    for (const output of outputs) {
      expect(output).not.toMatch(/https:[/\\]{2}us-east-1\.acm-certificates/i);
      expect(output).not.toContain('5ec12e7c-0de-5ec2-e7c0-de5ec12e7c0d');
    }
    const summary = free.find((entry) => entry.fixture.name === 'free-text-subject-is-approval-link')?.mails[0];
    expect(summary?.text).toContain('hxxps://us-east-1[.]acm-certificates[.]amazon[.]com/approvals?code=<redacted>');
  });
});
