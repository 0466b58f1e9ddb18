/**
 * The probe mail the canary sends to one watched address. It says what it is in plain words, because at a forwarded
 * domain's corporate side a person may see it; what makes it a probe is only the signed token header.
 */
import { personMailHeaders } from '../routing/delivery-profiles.js';
import type { ProbeTarget } from './targets.js';
import { PROBE_HEADER } from './token.js';

export interface ProbeMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
}

const PATH_WORDS: Record<ProbeTarget['path'], string> = {
  ses: 'Amazon SES receives this address directly (MX record, receipt rule).',
  forwarded: 'This address is at the corporate mail system, which forwards it to the pipeline.',
  extra: 'This is the address the corporate mail system forwards the ACM mailboxes to.',
};

/** The probe for `target`, carrying `token` (the signed `X-ACM-Mail-Probe` value) and naming its stack and run. */
export function probeMail(target: ProbeTarget, token: string, facts: { stackName: string; runId: string }): ProbeMail {
  const subject = `ACM mailbox canary: probe to ${target.address}`;
  const lines = [
    `This is the daily test mail of the ACM validation mail pipeline (stack ${facts.stackName}, run ${facts.runId}).`,
    'It checks that mail to this address still reaches the pipeline, so that the next approval mail from',
    'AWS Certificate Manager does too. Nothing needs doing: the pipeline records it and keeps no copy of it.',
    '',
    PATH_WORDS[target.path],
  ];
  const text = `${lines.join('\n')}\n`;
  const html = `<!doctype html><html><body><p>${lines.filter((line) => line !== '').join('<br>\n')}</p></body></html>\n`;
  return {
    to: [target.address],
    subject,
    text,
    html,
    // Automatic, so people's autoresponders do not answer it; the token is what the router checks.
    headers: { ...personMailHeaders('probe'), [PROBE_HEADER]: token },
  };
}
