import { isEmail } from '../src/accounts/email';

/** Reading the words of the migration commands: emails, then a site. Checks only, no I/O. */

// As the snapshot format writes site ids (src/accounts/snapshot/format.ts): acme, acme-eu.
const SITE_ID = /^[a-z0-9][a-z0-9-]*$/;

export const isSiteId = (word: string) => SITE_ID.test(word);

/** Emails followed by a site: the last word is the site when it looks like one and other words come first. */
export function emailsThenSite(args: readonly string[]): { emails: string[]; site: string | undefined } {
  const last = args.at(-1);
  const site = args.length > 1 && last !== undefined && isSiteId(last) ? last : undefined;
  return { emails: site ? args.slice(0, -1) : [...args], site };
}

/** The sentence about the first word that is not an email address; null when every word is one. */
export function badEmail(words: readonly string[]): string | null {
  const bad = words.find((word) => !isEmail(word));
  return bad === undefined ? null : `"${bad}" is not an email address.`;
}
