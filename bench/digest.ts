/**
 * `digest10kMs`: building and rendering the digests of 10,000 open requests, against rendering the same requests'
 * fields as one plain HTML table (`plainTable10kMs`) in the same process, the same way: the target is their ratio.
 */
import { parseConfiguration } from '../handlers/core/configuration/index.js';
import type { DigestRequest } from '../handlers/core/state.js';
import { digestMails } from '../handlers/digest/digest.js';
import { exampleJson } from '../test/support/configuration.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escaped = (value: string) => value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);

/**
 * The baseline: one row per request with the fields a digest row shows, as they are stored (no time zones, no
 * grouping by owner, no text part), every value escaped. Bench-only, and deliberately the simplest thing that works.
 */
function plainTable(requests: readonly DigestRequest[]): string {
  const labels = [
    'Owner',
    'Domain',
    'Account',
    'Region',
    'Kind',
    'Approve before',
    'First received',
    'Certificate expires',
    'Reached',
    'Ticket',
    'Trust',
    'Approval link',
  ];
  const header = labels.map((label) => `<th>${label}</th>`).join('');
  const rows = requests.map(
    (request) =>
      `<tr><td>${escaped(request.owner)}</td><td>${escaped(request.domain)}</td><td>${escaped(request.accountId)}</td>` +
      `<td>${escaped(request.region)}</td><td>${request.renewal ? 'renewal' : 'new'}</td>` +
      `<td>${escaped(request.approvalDeadline)}</td><td>${escaped(request.firstReceivedAt)}</td>` +
      `<td>${escaped(request.certificateExpiresAt ?? '-')}</td><td>${escaped(request.addresses.join(', '))}</td>` +
      `<td>${escaped(request.ticketSubject ?? '-')}</td><td>${escaped(request.trust)}</td>` +
      `<td>${escaped(request.links.at(-1)?.url ?? '-')}</td></tr>`,
  );
  return `<table>\n<thead><tr>${header}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

export function digest10kMs(runs: number): {
  ms: number;
  plainTableMs: number;
  ratio: number;
  mails: number;
  htmlBytes: number;
  plainHtmlBytes: number;
} {
  const configuration = parseConfiguration(exampleJson(), 'example');
  const now = new Date('2026-11-23T08:00:00.000Z');
  const owners = configuration.owners.map((owner) => owner.name);
  const accounts = configuration.accounts.list;
  const requests: DigestRequest[] = Array.from({ length: 10_000 }, (_, index) => {
    const account = accounts[index % accounts.length] ?? { id: '184694211251', name: 'shop-prod' };
    const first = new Date(now.getTime() - (index % 70) * 3_600_000);
    return {
      key: `arn:aws:acm:eu-west-1:${account.id}:certificate/${index}|svc${index}.example.com`,
      domain: `svc${index}.example.com`,
      accountId: account.id,
      region: 'eu-west-1',
      certificateArn: `arn:aws:acm:eu-west-1:${account.id}:certificate/${index}`,
      owner: owners[index % owners.length] ?? 'platform',
      renewal: index % 3 === 0,
      trust: index % 7 === 0 ? 'unverified' : 'trusted',
      firstReceivedAt: first.toISOString(),
      approvalDeadline: new Date(first.getTime() + 72 * 3_600_000).toISOString(),
      addresses: ['admin@example.com', 'hostmaster@example.com'],
      certificateExpiresAt: index % 3 === 0 ? new Date(now.getTime() + (index % 60) * 86_400_000).toISOString() : null,
      ticketSubject: `[ACM approval] svc${index}.example.com (${account.name}, eu-west-1)`,
      ticketMessageId: `0100${index}@email.amazonses.com`,
      links: [
        {
          url: `https://eu-west-1.acm-certificates.amazon.com/approvals?code=${index}&context=${index}`,
          trust: index % 7 === 0 ? 'unverified' : 'trusted',
          receivedAt: first.toISOString(),
        },
      ],
    };
  });
  const digestTimes: number[] = [];
  const plainTimes: number[] = [];
  let mails = 0;
  let htmlBytes = 0;
  let plainHtmlBytes = 0;
  // Alternately, so that a busy moment on the machine does not land on one of the two only.
  for (let run = 0; run < runs; run++) {
    let started = performance.now();
    const rendered = digestMails(configuration, requests, [], now);
    digestTimes.push(performance.now() - started);
    mails = rendered.length;
    htmlBytes = rendered.reduce((sum, mail) => sum + mail.html.length, 0);
    started = performance.now();
    plainHtmlBytes = plainTable(requests).length;
    plainTimes.push(performance.now() - started);
  }
  const ms = median(digestTimes);
  const plainTableMs = median(plainTimes);
  return { ms, plainTableMs, ratio: ms / plainTableMs, mails, htmlBytes, plainHtmlBytes };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
