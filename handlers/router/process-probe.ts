/**
 * The router's side effects for a mail that looks like a canary probe, in order: read the probe key (only now, so
 * ordinary mail and cold starts never pay for Secrets Manager), check the probe (core/canary/probe-check.ts), record
 * its arrival once, and, when the canary had reported its address dark, send the one follow-up saying it works
 * again. Anything that fails a check is quarantined and alerted like any forgery. A probe stores nothing of the mail
 * beyond the audit record: its run and address.
 */
import { domainOf } from '../core/addresses.js';
import { lateArrivalNotice, lateArrivalRecipients } from '../core/canary/late-arrival.js';
import { suspiciousProbeAlert, suspiciousProbeRecord } from '../core/canary/probe-alert.js';
import { arrivalVerdict, checkProbe, type ProbeReason, probeTokenValue } from '../core/canary/probe-check.js';
import { verifyProbeToken } from '../core/canary/token.js';
import type { HeaderFacts } from '../core/header-facts.js';
import type { Arrival } from '../core/routing/delivery.js';
import { personMailHeaders } from '../core/routing/delivery-profiles.js';
import { securityAlertEvent } from '../core/routing/product-events-out.js';
import type { SecurityAlert } from '../core/routing/security-outcome.js';
import type { SesVerdicts } from '../core/ses-verdicts.js';
import type { Handled, RouterDeps } from './process-mail.js';

/** What the router read of the mail, for the probe's checks and, when it fails them, the alert. */
export interface ProbeMailFacts {
  readonly arrival: Arrival;
  readonly facts: HeaderFacts;
  readonly ses: SesVerdicts | null;
  /** The mail's subject: shown defanged in an alert, never stored for a probe. */
  readonly subject: string;
  readonly bytes: Buffer;
  readonly rawMail: string;
  readonly envelopeFrom: string | null;
  readonly verdicts: string;
}

export function makeProbeProcessor(
  deps: RouterDeps,
  effects: { alertOnce(alert: SecurityAlert, messageId: string, rawMail: string): Promise<boolean> },
) {
  const config = deps.configuration;
  const senderDomain = domainOf(config.sender);

  return async function processProbe(mail: ProbeMailFacts): Promise<Handled> {
    const { arrival } = mail;
    const value = probeTokenValue(mail.facts.probeFields, mail.facts.headerCut);
    // Freshness is judged at SES's receipt, not at this attempt: a Lambda retry hours later is the same arrival.
    const token =
      config.canary.enabled && value !== null
        ? verifyProbeToken(value, await deps.probeKeys.probeKey(), new Date(arrival.receivedAt))
        : null;
    const check = checkProbe(
      {
        probeFields: mail.facts.probeFields,
        headerCut: mail.facts.headerCut,
        from: mail.facts.from,
        ses: mail.ses,
        recipients: arrival.recipients,
        token,
      },
      config,
    );
    if (!check.ok) return reject(mail, check.reasons, check.claimed);

    const { runId, address } = check.token;
    const verdict = arrivalVerdict(
      await deps.canary.recordProbeArrival(runId, address, arrival.receivedAt, arrival.messageId),
    );
    if (!verdict.ok) return reject(mail, [verdict.reason], { runId, address });
    deps.logger.info('probe arrived', { messageId: arrival.messageId, runId, address, retry: verdict.retry });

    // Reported dark, now here: one follow-up (the store says yes once), to whoever heard the missing alert.
    const probe = verdict.probe;
    if (probe.missingAlertedAt !== null && (await deps.canary.markLateCleared(runId, address, now()))) {
      const notice = lateArrivalNotice({ probe, arrivedAt: probe.arrivedAt ?? arrival.receivedAt, senderDomain });
      await deps.notifier.sendMail({
        to: lateArrivalRecipients(probe.domain, config),
        headers: personMailHeaders('alert'),
        references: [notice.anchor],
        inReplyTo: notice.anchor,
        ...notice.mail,
      });
      await deps.notifier.publish('alerts', notice.message, notice.attributes);
      deps.logger.info('late probe follow-up sent', { messageId: arrival.messageId, runId, address });
    }
    return { outcome: 'probe', requestKey: null, detail: `probe ${runId} ${address}`, reasons: [] };
  };

  function now(): string {
    return deps.clock().toISOString();
  }

  async function reject(
    mail: ProbeMailFacts,
    reasons: readonly ProbeReason[],
    claimed: { runId: string; address: string } | null,
  ): Promise<Handled> {
    const { arrival } = mail;
    // The run and the address at most: never the token (its MAC), never the mail's text.
    deps.logger.warn('probe rejected', {
      messageId: arrival.messageId,
      reasons,
      runId: claimed?.runId ?? null,
      address: claimed?.address ?? null,
    });
    const quarantined = await deps.archive.quarantine(arrival.messageId, mail.bytes);
    const rejected = { reasons, claimed, subject: mail.subject };
    const alert = suspiciousProbeAlert(rejected, {
      receivedAt: arrival.receivedAt,
      recipients: arrival.recipients,
      from: mail.facts.from ?? mail.facts.claimedFrom[0] ?? null,
      envelopeFrom: mail.envelopeFrom,
      verdicts: mail.verdicts,
      rawMail: mail.rawMail,
      quarantined,
      messageId: arrival.messageId,
    });
    const sent = await effects.alertOnce(alert, arrival.messageId, mail.rawMail);
    const security = suspiciousProbeRecord(rejected);
    return {
      outcome: 'suspicious',
      requestKey: null,
      detail: null,
      reasons,
      security,
      // As for every security alert: the event goes where the alert goes.
      events: sent
        ? [
            securityAlertEvent(
              {
                outcome: 'suspicious',
                messageId: arrival.messageId,
                reasons,
                security,
                receivedAt: arrival.receivedAt,
                mailLocation: quarantined,
                at: deps.clock(),
              },
              config,
            ),
          ]
        : [],
    };
  }
}
