/**
 * The router's product events (README, "Events out"): which outcomes put which event, the link rule, and retries.
 * The events are recorded with the outcome and put after it; a failed put is put again by the retry that finds the
 * outcome recorded, and never holds back or repeats a ticket or an alert. In memory, as decisions.test.ts; the
 * same paths run through the real adapters and the EventBridge stub in router.test.ts and every-fixture.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ProductEvent } from '../../handlers/core/product-events.js';
import { RecordsFailedError } from '../../handlers/router/router.js';
import { exampleWith } from '../support/configuration.js';
import { changedAndResigned, FIVE_COPIES_REQUEST_KEY } from '../support/fixtures.js';
import { inMemoryRouter } from '../support/in-memory-router.js';

const routerWith = inMemoryRouter;

const types = (events: readonly ProductEvent[]) => events.map((event) => event.detailType);

describe('which outcomes put which event', () => {
  it('a routed request puts `ACM Approval Requested` once; its duplicates, not-acm mail and probes put none', async () => {
    const r = routerWith();
    for (const copy of ['copies-1-admin', 'copies-2-administrator', 'copies-3-hostmaster']) await r.receive(copy);
    await r.receive('not-acm-spam-to-admin');
    expect(types(r.events.events)).toEqual(['ACM Approval Requested']);
    expect(r.events.events[0]?.detail).toMatchObject({ requestKey: FIVE_COPIES_REQUEST_KEY, kind: 'new' });
  });

  it('a resend with a new link puts a follow-up with its own deadline', async () => {
    const r = routerWith();
    const resend = changedAndResigned('current-new-text-only', (eml) =>
      eml.replace('code=74d429cc-e560-4eff-abf3-b231c22ea515', 'code=11111111-2222-4333-8444-555555555555'),
    );
    await r.receive('current-new-text-only');
    r.later(2);
    await r.receive(resend);
    await r.receive(resend);
    const [first, followUp, ...rest] = r.events.events;
    expect(rest).toEqual([]);
    expect(first?.detail).toMatchObject({ kind: 'new', approvalDeadline: '2026-11-28T09:00:00.000Z' });
    expect(followUp?.detail).toMatchObject({
      kind: 'follow-up',
      outcomeKey: 'm-2',
      requestKey: (first?.detail as { requestKey: string }).requestKey,
      approvalDeadline: '2026-11-28T11:00:00.000Z',
    });
  });

  it('each security alert puts `ACM Approval Security Alert` with its outcome, reasons and quarantined copy', async () => {
    const r = routerWith();
    await r.receive('preempt-2-acm-mail-for-the-same-request');
    await r.receive('own-dkim-body-altered-after-signing');
    await r.receive('conflict-missing-account-line');
    expect(r.events.events.map((event) => (event.detail as { outcome: string }).outcome)).toEqual([
      'foreign-account',
      'suspicious',
      'unparseable',
    ]);
    const [foreign] = r.events.events;
    expect(foreign?.detailType).toBe('ACM Approval Security Alert');
    expect(foreign?.detail).toMatchObject({
      outcomeKey: 'm-1',
      authenticated: true,
      mailLocation: 'memory://quarantine/m-1',
    });
    expect(foreign?.resources).toEqual([(foreign?.detail as { certificateArn: string }).certificateArn]);
  });

  it('the second copy of one foreign request raises no second alert, and puts no second event', async () => {
    const r = routerWith();
    await r.receive('preempt-2-acm-mail-for-the-same-request');
    await r.receive('preempt-2-acm-mail-for-the-same-request');
    expect(r.notifier.mails).toHaveLength(1);
    expect(types(r.events.events)).toEqual(['ACM Approval Security Alert']);
  });
});

describe('the link rule (the same as the approvals topic)', () => {
  const optedIn = exampleWith((c) => {
    for (const owner of c.owners) owner.snsApprovalLinks = true;
  });

  it('carries the live link only for an owner who opted in, from trusted mail', async () => {
    const r = routerWith(optedIn);
    await r.receive('current-new-text-only');
    await r.receive('forward-inline-gmail');
    const [trusted, forwarded] = r.events.events;
    expect(trusted?.detail).toMatchObject({
      trust: 'trusted',
      approvalLink: expect.stringMatching(/^https:\/\/eu-west-1\.acm-certificates\.amazon\.com\/approvals\?code=/),
    });
    expect(trusted?.detail).toHaveProperty('approvalLink', r.notifier.publications[0]?.message.approvalUrl);
    expect(forwarded?.detail).toMatchObject({ trust: 'unverified' });
    expect(forwarded?.detail).not.toHaveProperty('approvalLink');
  });

  it('never for an owner who did not opt in, and never in a security alert', async () => {
    const r = routerWith();
    await r.receive('current-new-text-only');
    const alerted = routerWith(optedIn);
    await alerted.receive('preempt-2-acm-mail-for-the-same-request');
    for (const event of [...r.events.events, ...alerted.events.events]) {
      expect(JSON.stringify(event)).not.toMatch(/approvals\?|code=|context=/);
    }
    expect(r.events.events).toHaveLength(1);
    expect(alerted.events.events).toHaveLength(1);
  });
});

describe('retries: a bus that fails', () => {
  it('fails the record after the ticket went out; the retry puts the event and sends nothing again', async () => {
    const r = routerWith();
    r.events.failNext = 1;
    const record = r.deliver('current-new-text-only');
    await expect(r.run(record)).rejects.toThrow(RecordsFailedError);
    // The ticket and the approvals message went out before the put: the bus never holds them back.
    expect(r.notifier.mails).toHaveLength(1);
    expect(r.notifier.publications).toHaveLength(1);
    expect(r.events.events).toEqual([]);
    const pending = r.store.outcomes.get('m-1');
    expect(pending?.outcome).toBe('routed');
    expect(types(pending?.pendingEvents ?? [])).toEqual(['ACM Approval Requested']);

    // Lambda's retry of the same event.
    const [retried] = await r.run(record);
    expect(retried).toMatchObject({ outcome: 'routed', alreadyRecorded: true });
    expect(r.events.events).toEqual(pending?.pendingEvents);
    expect(r.notifier.mails).toHaveLength(1);
    expect(r.notifier.publications).toHaveLength(1);
    expect(r.store.outcomes.get('m-1')?.pendingEvents).toBeUndefined();

    // A further retry or a replay puts nothing more.
    await r.run(record);
    expect(r.events.events).toHaveLength(1);
  });

  it('a security alert is mailed once, and its event arrives on the retry', async () => {
    const r = routerWith();
    r.events.failNext = 2;
    const record = r.deliver('preempt-2-acm-mail-for-the-same-request');
    await expect(r.run(record)).rejects.toThrow(/the event bus is unavailable/);
    await expect(r.run(record)).rejects.toThrow(RecordsFailedError);
    await r.run(record);
    expect(r.notifier.mails).toHaveLength(1);
    expect(r.notifier.publications.filter((p) => p.topic === 'alerts')).toHaveLength(1);
    expect(types(r.events.events)).toEqual(['ACM Approval Security Alert']);
  });

  it('a bus failure of one record leaves the other records of the event alone', async () => {
    const r = routerWith();
    const first = r.deliver('current-new-text-only');
    const second = r.deliver('not-acm-spam-to-admin');
    r.events.failNext = 1;
    const failure = await r.run(first).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RecordsFailedError);
    const [other] = await r.run(second);
    expect(other?.outcome).toBe('not-acm');
  });
});
