/** `digest10kMs`: building and rendering the digests of 10,000 open requests (target under one second). */
import { parseConfiguration } from '../handlers/core/configuration/index.js';
import type { DigestRequest } from '../handlers/core/state.js';
import { digestMails } from '../handlers/digest/digest.js';
import { exampleJson } from '../test/support/configuration.js';

export function digest10kMs(runs: number): { ms: number; mails: number; htmlBytes: number } {
  const configuration = parseConfiguration(exampleJson(), 'example');
  const now = new Date('2026-11-23T08:00:00.000Z');
  const owners = configuration.owners.map((owner) => owner.name);
  const accounts = configuration.accounts;
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
  const times: number[] = [];
  let mails = 0;
  let htmlBytes = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const rendered = digestMails(configuration, requests, [], now);
    times.push(performance.now() - started);
    mails = rendered.length;
    htmlBytes = rendered.reduce((sum, mail) => sum + mail.html.length, 0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? Number.NaN, mails, htmlBytes };
}
