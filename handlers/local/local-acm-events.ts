/**
 * ACM's events through the local pipeline, after the mail: each JSON file (default: fixtures/acm-events/) is handed
 * to the events handler as the central bus's rule would invoke it, with the production adapters at the emulators.
 * There is no local EventBridge: the events are read from the files, stamped with the run's time (an expiry date in
 * them moves by as much), as ACM would send them now.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wiredAcmEventsHandler } from '../acm-events/wired-acm-events.js';
import type { SentMailObserver } from '../adapters/ses-sns-notifier.js';
import type { AcmEventOutcome } from '../core/acm-events/decide.js';
import type { Configuration } from '../core/configuration/index.js';
import type { Log } from '../ports/observability.js';
import type { LocalDeployment } from './services.js';

/** The ACM event fixtures `npm start` feeds. */
export const ACM_EVENT_FIXTURES = fileURLToPath(new URL('../../fixtures/acm-events/', import.meta.url));

export interface LocalAcmEventResult {
  readonly file: string;
  readonly eventId: string;
  readonly detailType: string;
  readonly outcome: AcmEventOutcome | 'failed';
  readonly requestKeys: readonly string[];
  readonly error?: string;
}

export interface LocalAcmEventsRound {
  readonly events: readonly LocalAcmEventResult[];
}

/** `.json` files of a folder, by name; a file as it is. */
export function acmEventFiles(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    const path = resolve(input);
    try {
      return readdirSync(path)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => join(path, name));
    } catch {
      return [path];
    }
  });
}

/** The event as ACM would send it at `now`: its time now, a stated expiry moved by as much. */
export function asSentAt(event: Record<string, unknown>, now: Date): Record<string, unknown> {
  const shift = now.getTime() - Date.parse(String(event.time));
  if (Number.isNaN(shift)) return event;
  const detail = (typeof event.detail === 'object' && event.detail !== null ? event.detail : {}) as Record<
    string,
    unknown
  >;
  const expiry = Date.parse(String(detail.CertificateExpirationDate));
  return {
    ...event,
    time: now.toISOString(),
    detail: Number.isNaN(expiry)
      ? detail
      : { ...detail, CertificateExpirationDate: new Date(expiry + shift).toISOString() },
  };
}

export async function runLocalAcmEvents(options: {
  readonly configuration: Configuration;
  readonly deployment: LocalDeployment;
  readonly files: readonly string[];
  readonly logger: Log;
  readonly observe: SentMailObserver;
  readonly now: Date;
}): Promise<LocalAcmEventsRound> {
  const { configuration, deployment } = options;
  const handle = wiredAcmEventsHandler({
    configuration,
    clients: deployment.clients,
    resources: {
      requestTable: deployment.table,
      alertsTopicArn: deployment.alertsTopicArn,
      sender: configuration.sender,
      eventBusName: deployment.eventBusName,
    },
    logger: options.logger,
    observeSentMail: options.observe,
  });
  const events: LocalAcmEventResult[] = [];
  for (const path of options.files) {
    const file = relative(process.cwd(), path);
    let raw: Record<string, unknown> = {};
    try {
      raw = asSentAt(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>, options.now);
      const result = await handle(raw);
      events.push({
        file,
        eventId: result.eventId,
        detailType: String(raw['detail-type']),
        outcome: result.outcome,
        requestKeys: result.requestKeys,
      });
    } catch (error) {
      events.push({
        file,
        eventId: String(raw.id ?? ''),
        detailType: String(raw['detail-type'] ?? ''),
        outcome: 'failed',
        requestKeys: [],
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { events };
}
