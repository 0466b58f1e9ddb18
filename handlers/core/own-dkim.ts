/**
 * The second witness: we verify ACM's DKIM signature over the stored mail ourselves, with mailauth (from the makers
 * of mailparser), through a DNS resolver the caller injects (the system's in Lambda, a stub in tests and the local
 * run). SES's `dkim=pass header.i=@certificates.amazon.com` is then believed only when our check agrees, or when our
 * check could not run at all (DNS unreachable, a key rotated away before a replay), which the reasons say.
 *
 * The one place that knows mailauth. The clock is passed in (signature expiry), as everywhere in the core.
 */
import { ACM_DKIM_DOMAIN } from './template.js';

/** mailauth is loaded on the first mail that needs it: most mail never does, and a cold start stays fast. */
let mailauth: Promise<typeof import('mailauth/lib/dkim/verify.js')> | undefined;

/** A DNS TXT lookup as `node:dns` answers it: each record a list of strings; errors carry `code` (ENOTFOUND...). */
export type TxtResolver = (name: string) => Promise<string[][]>;

/**
 * - `pass`: a signature by `certificates.amazon.com` verifies over the whole body and covers From;
 * - `fail`: signatures by ACM's domain exist and none verifies (body or signed fields altered, bad signature);
 * - `none`: the mail carries no signature by ACM's domain at all;
 * - `unavailable`: no signature verified, and one could not be checked (DNS failure, key no longer published).
 */
export type OwnDkimVerdict = 'pass' | 'fail' | 'none' | 'unavailable';

export interface OwnDkimOptions {
  readonly resolver: TxtResolver;
  readonly now: Date;
}

interface SignatureResult {
  readonly signingDomain?: string;
  readonly status: { readonly result: string; readonly comment?: string | false; readonly underSized?: number };
  readonly signingHeaders?: { readonly keys?: string };
}

function unavailable(result: SignatureResult): boolean {
  return (
    result.status.result === 'temperror' || (result.status.result === 'neutral' && result.status.comment === 'no key')
  );
}

function verified(result: SignatureResult): boolean {
  const signed = (result.signingHeaders?.keys ?? '').toLowerCase().split(/:\s*/);
  // An `l=` that stops short of the body leaves room for appended content; a signature not covering From proves
  // nothing about the sender.
  return result.status.result === 'pass' && !result.status.underSized && signed.includes('from');
}

export async function checkAcmSignature(bytes: Uint8Array, options: OwnDkimOptions): Promise<OwnDkimVerdict> {
  mailauth ??= import('mailauth/lib/dkim/verify.js');
  const { dkimVerify } = await mailauth;
  const { results } = await dkimVerify(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    resolver: async (name: string, type: string) => {
      if (type.toUpperCase() !== 'TXT') throw Object.assign(new Error(`no ${type} lookups here`), { code: 'ENODATA' });
      return options.resolver(name);
    },
    curTime: options.now,
  });
  const byAcm = (results as readonly SignatureResult[]).filter(
    (result) => result.signingDomain?.toLowerCase() === ACM_DKIM_DOMAIN,
  );
  if (byAcm.length === 0) return 'none';
  if (byAcm.some(verified)) return 'pass';
  return byAcm.some(unavailable) ? 'unavailable' : 'fail';
}
