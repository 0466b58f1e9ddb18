/**
 * Which certificates our pipeline has received approval mail for, and when: from the state table's requests (each
 * window of each request names its certificate). A certificate that sent mail depends on someone approving it.
 */
import type { SeenMail } from './certificate.js';

/** What one stored request window says about its certificate. */
export interface RequestSighting {
  readonly certificateArn: string;
  readonly firstReceivedAt: string;
  readonly latestReceivedAt: string;
}

export function seenMailByCertificate(sightings: Iterable<RequestSighting>): Map<string, SeenMail> {
  const seen = new Map<string, SeenMail>();
  for (const sighting of sightings) {
    if (sighting.certificateArn === '') continue;
    const before = seen.get(sighting.certificateArn);
    seen.set(sighting.certificateArn, {
      requests: (before?.requests ?? 0) + 1,
      firstReceivedAt:
        before === undefined || sighting.firstReceivedAt < before.firstReceivedAt
          ? sighting.firstReceivedAt
          : before.firstReceivedAt,
      lastReceivedAt:
        before === undefined || sighting.latestReceivedAt > before.lastReceivedAt
          ? sighting.latestReceivedAt
          : before.lastReceivedAt,
    });
  }
  return seen;
}
