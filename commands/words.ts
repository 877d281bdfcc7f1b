import { isEmail } from '../src/accounts/email';

/** Reading the words of slash commands: emails, sites, and how a bad word is quoted back. Checks only, no I/O. */

// As the snapshot format writes site ids (src/accounts/snapshot/format.ts): acme, acme-eu.
const SITE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const isSiteId = (word: string) => SITE_ID.test(word);

const SHOWN = 60;

/**
 * A word typed by someone, as a sentence quotes it: at most 60 characters, control characters as "?", and
 * mrkdwn's &, < and > escaped, so that what was typed can neither break the answer nor mention anyone.
 */
export function shown(word: string): string {
  const chars = [...word.replace(/\p{Cc}/gu, '?')];
  const cut = chars.length > SHOWN ? `${chars.slice(0, SHOWN - 1).join('')}…` : chars.join('');
  return `"${cut.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}"`;
}

/** Emails followed by a site: the last word is the site when it looks like one and other words come first. */
export function emailsThenSite(args: readonly string[]): { emails: string[]; site: string | undefined } {
  const last = args.at(-1);
  const site = args.length > 1 && last !== undefined && isSiteId(last) ? last : undefined;
  return { emails: site ? args.slice(0, -1) : [...args], site };
}

/** The sentence about the first word that is not an email address; null when every word is one. */
export function badEmail(words: readonly string[]): string | null {
  const bad = words.find((word) => !isEmail(word));
  return bad === undefined ? null : `${shown(bad)} is not an email address.`;
}
