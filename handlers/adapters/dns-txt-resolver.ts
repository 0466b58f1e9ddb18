/**
 * DNS TXT lookups for our own DKIM check (core/own-dkim.ts): the system's resolver with a short timeout in Lambda and
 * `acm-mail parse`, a fixed set of records in tests and the local run. Answers are cached per name for the life of
 * the process (a selector's key changes at most every few months); failures are not, so the next mail asks again.
 */
import { Resolver } from 'node:dns/promises';
import type { TxtResolver } from '../core/own-dkim.js';
import { InputFileError, readJsonFile } from './input-files.js';

const KEYS_FILE = 'the DKIM keys file';

/**
 * The machine's DNS servers; one try of `timeoutMs`, so an unreachable DNS costs a mail at most that. A key that is
 * not found counts as not published only when DNS is seen answering (see `confirmingAbsence`).
 */
export function systemTxtResolver(options: { readonly timeoutMs?: number } = {}): TxtResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: 1 });
  return confirmingAbsence((name) => resolver.resolveTxt(name));
}

/** A name that always has TXT records (SPF and more): if it is "not found" too, DNS is not answering from the Internet. */
export const CONTROL_NAME = 'amazon.com';

function notFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

/**
 * "Not found" is a verdict only from a DNS that answers. A machine without Internet (a laptop offline, this project's
 * CI) has resolvers that say ENOTFOUND to every name; a key missing there must read as "could not check", not as
 * "ACM publishes no such key" (which fails the mail). So a missing name is confirmed against `controlName`; if that
 * is missing too, the lookup fails as DNS unreachable (`EDNSUNREACHABLE`, which mailauth reports as temperror).
 */
export function confirmingAbsence(inner: TxtResolver, controlName = CONTROL_NAME): TxtResolver {
  return async (name) => {
    try {
      return await inner(name);
    } catch (error) {
      if (!notFound(error)) throw error;
      const answering = await inner(controlName).then(
        (records) => records.length > 0,
        () => false,
      );
      if (answering) throw error;
      throw Object.assign(new Error(`DNS is not answering: neither ${name} nor ${controlName} was found`), {
        code: 'EDNSUNREACHABLE',
      });
    }
  };
}

export function cachedTxtResolver(inner: TxtResolver): TxtResolver {
  const answers = new Map<string, Promise<string[][]>>();
  return (name) => {
    const key = name.toLowerCase();
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = inner(key);
      answers.set(key, answer);
      answer.catch(() => answers.delete(key));
    }
    return answer;
  };
}

/** Answers from a fixed map of name to TXT value; any other name does not exist (ENOTFOUND), as in DNS. */
export function recordsTxtResolver(records: Readonly<Record<string, string>>): TxtResolver {
  const byName = new Map(Object.entries(records).map(([name, value]) => [name.toLowerCase(), value]));
  return async (name) => {
    const value = byName.get(name.toLowerCase());
    if (value === undefined) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return [[value]];
  };
}

/** A keys file (`{"<selector>._domainkey.<domain>": "v=DKIM1; k=rsa; p=..."}`), checked, as a resolver. */
export function keysFileTxtResolver(path: string): TxtResolver {
  const records = readJsonFile(path, KEYS_FILE);
  const valid =
    typeof records === 'object' &&
    records !== null &&
    !Array.isArray(records) &&
    Object.entries(records).every(([name, value]) => /\._domainkey\./i.test(name) && typeof value === 'string');
  if (!valid) {
    throw new InputFileError(
      path,
      `${KEYS_FILE} ${path}: expected {"<selector>._domainkey.<domain>": "v=DKIM1; k=rsa; p=..."}`,
    );
  }
  return recordsTxtResolver(records as Record<string, string>);
}

/**
 * For `acm-mail replay` only: mail from our archive, possibly weeks old, whose key ACM may have retired since. There
 * a key not found now reads "could not check" (`EKEYRETIRED`, which mailauth reports as temperror: the reasons say
 * `own-dkim-unavailable`) instead of failing the mail. Live mail never gets this: ACM signs with a key it publishes,
 * and a sender can name any selector.
 */
export function keysMayBeRetired(inner: TxtResolver): TxtResolver {
  return async (name) => {
    try {
      return await inner(name);
    } catch (error) {
      if (!notFound(error)) throw error;
      throw Object.assign(new Error(`${name} is not published now; it may have been retired since the mail arrived`), {
        code: 'EKEYRETIRED',
      });
    }
  };
}
