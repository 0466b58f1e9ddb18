/** The estate's CSV: its columns, RFC 4180 quoting (a domain never breaks a row), values safe to open in a spreadsheet. */
import { describe, expect, it } from 'vitest';
import { migrationAdvice } from '../../../handlers/core/estate/advice.js';
import { estateCertificateOf } from '../../../handlers/core/estate/certificate.js';
import { csvField, ESTATE_CSV_COLUMNS, estateCsv } from '../../../handlers/core/estate/csv.js';

/** A strict RFC 4180 reader: rows end in CRLF, quoted fields may hold commas, quotes (doubled) and line breaks. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  expect(field).toBe('');
  return rows;
}

const certificate = (domain: string, names: string[] = [domain], over: { inUseBy?: string[] } = {}) =>
  estateCertificateOf(
    {
      CertificateArn: `arn:aws:acm:eu-west-1:184694211251:certificate/${names.length}-${domain.length}`,
      DomainName: domain,
      SubjectAlternativeNames: names,
      DomainValidationOptions: names.map((name) => ({ DomainName: name, ValidationMethod: 'EMAIL' })),
      Status: 'ISSUED',
      NotAfter: '2027-01-01T00:00:00Z',
      InUseBy: over.inUseBy ?? [
        'arn:aws:elasticloadbalancing:eu-west-1:184694211251:loadbalancer/app/a/1',
        'arn:aws:cloudfront::184694211251:distribution/E1',
        'arn:aws:elasticloadbalancing:eu-west-1:184694211251:loadbalancer/app/b/2',
      ],
      RenewalEligibility: 'ELIGIBLE',
    },
    { accountId: '184694211251', accountName: 'shop-prod', region: 'eu-west-1' },
    { requests: 3, firstReceivedAt: '2026-10-01T00:00:00Z', lastReceivedAt: '2026-11-20T08:00:00Z' },
  );

describe('the estate CSV', () => {
  it('has one header row of the documented columns and one row per certificate, every value in place', () => {
    const one = certificate('shop.example.com', ['shop.example.com', 'www.shop.example.com']);
    const zones = [{ id: 'Z1', name: 'example.com' }];
    const rows = readCsv(
      estateCsv([one], new Map([[one.arn, migrationAdvice(one, zones, new Date('2026-11-26T00:00:00Z'))]])),
    );
    expect(rows[0]).toEqual([...ESTATE_CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    expect(Object.fromEntries(ESTATE_CSV_COLUMNS.map((column, index) => [column, rows[1]?.[index]]))).toEqual({
      account_id: '184694211251',
      account_name: 'shop-prod',
      region: 'eu-west-1',
      certificate_arn: one.arn,
      domain: 'shop.example.com',
      subject_alternative_names: 'www.shop.example.com',
      validation_methods: 'shop.example.com=EMAIL www.shop.example.com=EMAIL',
      status: 'ISSUED',
      type: 'UNKNOWN',
      not_after: '2027-01-01T00:00:00.000Z',
      in_use_count: '3',
      in_use_types: 'elasticloadbalancing:loadbalancer cloudfront:distribution',
      renewal_eligibility: 'ELIGIBLE',
      renewal_status: '',
      approval_mail_seen: 'yes',
      approval_mail_last_received: '2026-11-20T08:00:00Z',
      dns_ready: 'yes',
      names_outside_known_zones: '',
      unused_expiring_soon: 'no',
    });
  });

  it('keeps a hostile domain in its row and its cell: commas, quotes, CR and LF', () => {
    const hostile = 'a,b"c\r\nd\re\nf.example.com';
    const rows = readCsv(estateCsv([certificate(hostile), certificate('plain.example.com')], new Map()));
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.length === ESTATE_CSV_COLUMNS.length)).toBe(true);
    expect(rows[1]?.[4]).toBe(hostile);
    expect(rows[2]?.[4]).toBe('plain.example.com');
  });

  it.each([
    ['=HYPERLINK("http://evil.example","x")'],
    ['+1+2'],
    ['-2+3'],
    ['@SUM(A1)'],
    ['\t=1'],
    ['\r=1'],
  ])('neutralises %j for spreadsheets with a leading apostrophe', (value) => {
    const field = csvField(value);
    const [[read]] = readCsv(`${field}\r\n`) as [[string]];
    expect(read).toBe(`'${value}`);
    const rows = readCsv(estateCsv([certificate(value)], new Map()));
    expect(rows[1]?.[4]).toBe(`'${value}`);
  });

  it('leaves ordinary values as they are', () => {
    expect(csvField('shop.example.com')).toBe('shop.example.com');
    expect(csvField('*.example.com')).toBe('*.example.com');
    expect(csvField('')).toBe('');
  });
});
