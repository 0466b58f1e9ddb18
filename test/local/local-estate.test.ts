/**
 * The estate in the local run: `acm-mail run` lists the seeded ACM stub through the production adapters, fills
 * "approval mail seen" from the mail it just routed, writes estate.csv and estate.json, and the digest (and the input
 * `digest --preview` renders from) carries the estate section.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../handlers/cli/main.js';
import { capture } from '../support/cli.js';
import { FIXTURE_DIR, FIXTURE_DKIM_KEYS } from '../support/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'acm-mail-local-estate-'));
const out = join(work, 'out');
const SHOP_NET = 'arn:aws:acm:eu-west-1:184694211251:certificate/975243f7-b501-4ee8-a0dc-69991761dbe0';
let run: { exit: number; stdout: string; stderr: string };

beforeAll(async () => {
  const { out: printed, io } = capture();
  const exit = await main(
    ['run', '--out', out, '--dkim-keys', FIXTURE_DKIM_KEYS, join(FIXTURE_DIR, 'copies-1-admin.eml')],
    io,
  );
  run = { exit, ...printed };
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the local run estate', () => {
  it('counts the listed certificates on the summary line and in words', () => {
    expect(run.exit).toBe(0);
    expect(JSON.parse(run.stdout.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({ messages: 1, estate: 7 });
    expect(run.stdout).toContain(
      'estate: 7 certificates listed in 4 accounts (eu-west-1, us-east-1), 5 validated by email; 16 account(s) have no status role\n',
    );
  });

  it('writes estate.json and estate.csv, with the mail this run routed as approval mail seen', () => {
    const estate = JSON.parse(readFileSync(join(out, 'estate.json'), 'utf8'));
    const shopNet = estate.certificates.find((c: { arn: string }) => c.arn === SHOP_NET);
    expect(shopNet.seenMail).toMatchObject({ requests: 1 });
    expect(shopNet.advice).toMatchObject({ ready: false, externalNames: ['shop.example.net'] });
    expect(estate.mailHistoryNote).toBeNull();
    const rows = readFileSync(join(out, 'estate.csv'), 'utf8').trimEnd().split('\r\n');
    expect(rows).toHaveLength(8);
    expect(rows.find((row) => row.includes(SHOP_NET))).toContain(',yes,');
  });

  it('shows the section in the digest, and keeps the estate for digest --preview', () => {
    expect(readFileSync(join(out, 'digest.txt'), 'utf8')).toContain('Certificates still validated by email (2)');
    const input = JSON.parse(readFileSync(join(out, 'digest-input.json'), 'utf8'));
    expect(input.estate.certificates).toHaveLength(7);
  });
});
