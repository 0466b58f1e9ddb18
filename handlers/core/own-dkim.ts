/**
 * The second witness: we verify ACM's DKIM signature over the stored mail ourselves, with mailauth (from the makers
 * of mailparser), through a DNS resolver the caller injects (the system's in Lambda, a stub in tests and the local
 * run). SES's `dkim=pass header.i=@certificates.amazon.com` is then believed only when our check agrees, or when our
 * check could not run at all (DNS unreachable), which the reasons say. A key DNS says is not published is a failure:
 * ACM signs with a key it publishes, and a sender can name any selector.
 *
 * mailauth is shown ACM's signatures only: nobody else's signature costs a DNS lookup or decides anything, and a
 * sender cannot add signatures to make our check give up. The one place that knows mailauth. The clock is passed in
 * (signature expiry), as everywhere in the core.
 */
import { type HeaderBlock, readHeaderBlock } from './header-block.js';
import { ACM_DKIM_DOMAIN } from './template.js';

/** mailauth is loaded on the first mail that needs it: most mail never does, and a cold start stays fast. */
let mailauth: Promise<typeof import('mailauth/lib/dkim/verify.js')> | undefined;

/** A DNS TXT lookup as `node:dns` answers it: each record a list of strings; errors carry `code` (ENOTFOUND...). */
export type TxtResolver = (name: string) => Promise<string[][]>;

/**
 * - `pass`: a signature by `certificates.amazon.com` verifies over the whole body and covers From;
 * - `fail`: a signature by ACM's domain failed (body or signed fields altered, bad signature, another key), or the
 *   mail carries more of them than ACM ever writes, or one that signs only part of the body (`l=`), or one whose
 *   key is not published (a selector anybody can write; a key retired before a replay);
 * - `none`: the mail carries no signature by ACM's domain at all;
 * - `unavailable`: none could be checked because DNS did not answer, and none failed.
 */
export type OwnDkimVerdict = 'pass' | 'fail' | 'none' | 'unavailable';

export interface OwnDkimOptions {
  readonly resolver: TxtResolver;
  readonly now: Date;
}

/** ACM signs its mail once (sample 01); two leaves room for a key rollover. More is somebody adding signatures. */
const MAX_ACM_SIGNATURES = 2;
/** Header fields mailauth would verify or read for other purposes (ARC): never needed here. */
const NOT_SHOWN = /^(?:arc-seal|arc-message-signature|arc-authentication-results)$/;

interface SignatureResult {
  readonly signingDomain?: string;
  readonly status: { readonly result: string; readonly comment?: string | false; readonly underSized?: number };
  readonly signingHeaders?: { readonly keys?: string };
}

/** The tags of a DKIM-Signature value (`v=1; a=rsa-sha256; d=...`), names lower-cased, blanks removed. */
function dkimTags(value: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const tag of value.split(';')) {
    const equals = tag.indexOf('=');
    if (equals > 0) tags.set(tag.slice(0, equals).trim().toLowerCase(), tag.slice(equals + 1).replace(/\s+/g, ''));
  }
  return tags;
}

/** DNS did not answer. mailauth's `neutral` "no key" (NXDOMAIN, no TXT record) is a failure like any other. */
function unavailable(result: SignatureResult): boolean {
  return result.status.result === 'temperror';
}

function verified(result: SignatureResult): boolean {
  const signed = (result.signingHeaders?.keys ?? '').toLowerCase().split(/:\s*/);
  // A signature not covering From proves nothing about the sender.
  return result.status.result === 'pass' && !result.status.underSized && signed.includes('from');
}

/** `block`: the mail's header block, when the caller has already read it (the parser has). */
export async function checkAcmSignature(
  bytes: Uint8Array,
  options: OwnDkimOptions,
  block: HeaderBlock = readHeaderBlock(bytes, bytes.byteLength),
): Promise<OwnDkimVerdict> {
  const byAcm = block.fields.filter(
    (field) => field.name === 'dkim-signature' && dkimTags(field.value).get('d')?.toLowerCase() === ACM_DKIM_DOMAIN,
  );
  if (byAcm.length === 0) return 'none';
  // An `l=` leaves room for content appended after the signed body: never a pass, whatever it covers today.
  if (byAcm.length > MAX_ACM_SIGNATURES || byAcm.some((field) => dkimTags(field.value).has('l'))) return 'fail';
  const shown = block.fields.filter(
    (field) => (field.name !== 'dkim-signature' || byAcm.includes(field)) && !NOT_SHOWN.test(field.name),
  );
  const head = Buffer.from(`${shown.flatMap((field) => field.lines).join('\r\n')}\r\n\r\n`, 'latin1');
  const message = Buffer.concat([head, bytes.subarray(block.headerEnd)]);

  mailauth ??= import('mailauth/lib/dkim/verify.js');
  const { dkimVerify } = await mailauth;
  const { results } = await dkimVerify(message, {
    resolver: async (name: string, type: string) => {
      // Only ACM's keys are ever asked for (at most one lookup per signature shown).
      if (type.toUpperCase() !== 'TXT' || !name.toLowerCase().endsWith(`._domainkey.${ACM_DKIM_DOMAIN}`)) {
        throw Object.assign(new Error(`not looked up: ${name}`), { code: 'ENOTFOUND' });
      }
      return options.resolver(name);
    },
    curTime: options.now,
  });
  const checked = (results as readonly SignatureResult[]).filter(
    (result) => result.signingDomain?.toLowerCase() === ACM_DKIM_DOMAIN,
  );
  if (checked.some(verified)) return 'pass';
  // A signature that failed outranks one that could not be checked: a sender can always add the second kind.
  if (checked.length === 0 || checked.some((result) => !unavailable(result))) return 'fail';
  return 'unavailable';
}
