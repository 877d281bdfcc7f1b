import { compareKeys } from '../../db/keyedStream';
import { openAccountsByEmail, STREAM_BATCH, siteEntriesByAccount, siteProfilesByEmail } from '../directoryStreams';
import { emailKey } from '../email';
import {
  AccountSite,
  type AccountSiteDoc,
  AtlassianAccount,
  type AtlassianAccountDoc,
  accountSiteId,
  CustomerRequest,
  PortalCustomer,
  type PortalCustomerDoc,
} from '../models';
import { requestsOf } from './requests';

/** What planning a migration needs about some email keys on one site. */
export interface SiteFacts {
  /** The site's portal-only profiles of the keys, whatever their status. */
  profiles: PortalCustomerDoc[];
  /** The keys' open Atlassian accounts. */
  accounts: AtlassianAccountDoc[];
  /** Those accounts' entries on the site. */
  entries: AccountSiteDoc[];
  /** The site's requests reported by, or involving, the given principals (keys, by principal). */
  requestsOf(principals: readonly string[]): Promise<Involvement>;
}

export interface Involvement {
  reported: Map<string, string[]>;
  participating: Map<string, string[]>;
}

/** Reads facts about the keys of one chunk after another; close it when done. */
export interface SiteReader {
  read(emails: readonly string[]): Promise<SiteFacts & { keys: string[] }>;
  close(): Promise<void>;
}

/** A reader that looks up only the chunk's keys: a few queries per chunk. */
export function lookupReader(site: string): SiteReader {
  return {
    async read(emails) {
      const keys = [...new Set(emails.map(emailKey))];
      const [profiles, accounts] = await Promise.all([
        PortalCustomer.find({ site, emailKey: { $in: keys } }).lean(),
        AtlassianAccount.find({ openEmailKey: { $in: keys } }).lean(),
      ]);
      const entries = await AccountSite.find({ _id: { $in: accounts.map((a) => accountSiteId(a._id, site)) } }).lean();
      return { keys, profiles, accounts, entries, requestsOf: (principals) => requestsOf(site, principals) };
    },
    close: async () => {},
  };
}

/**
 * A reader for a job of many chunks that reads the site once, not once per chunk (FerretDB v1 answers each
 * `$in` by reading the whole collection): the site's profiles and the open accounts are streamed sorted by email
 * key and merged as chunks ask for ascending keys; the site's account entries and who is involved in which of
 * its requests are held in memory (ids only). Chunks asking out of order reopen the streams.
 */
export async function streamingReader(site: string): Promise<SiteReader> {
  const [entries, involvement] = await Promise.all([siteEntriesByAccount(site), involvementOf(site)]);
  const open = () => ({
    profiles: siteProfilesByEmail(site),
    accounts: openAccountsByEmail(),
  });
  let streams = open();
  const close = () => Promise.all([streams.profiles.close(), streams.accounts.close()]).then(() => undefined);
  const pick = (map: Map<string, string[]>, principals: readonly string[]) =>
    new Map(principals.flatMap((p) => (map.has(p) ? [[p, map.get(p) as string[]]] : [])));
  return {
    async read(emails) {
      const keys = [...new Set(emails.map(emailKey))].sort(compareKeys);
      if (keys[0] !== undefined && !streams.profiles.canTake(keys[0])) {
        await close();
        streams = open();
      }
      const facts: SiteFacts & { keys: string[] } = {
        keys,
        profiles: [],
        accounts: [],
        entries: [],
        requestsOf: async (principals) => ({
          reported: pick(involvement.reported, principals),
          participating: pick(involvement.participating, principals),
        }),
      };
      for (const key of keys) {
        facts.profiles.push(...(await streams.profiles.take(key)));
        for (const account of await streams.accounts.take(key)) {
          facts.accounts.push(account);
          const entry = entries.get(account._id);
          if (entry) facts.entries.push(entry);
        }
      }
      return facts;
    },
    close,
  };
}

/** Who reports and takes part in which of the site's requests, in key order (as requestsOf gives them). */
async function involvementOf(site: string): Promise<Involvement> {
  const involvement: Involvement = { reported: new Map(), participating: new Map() };
  const add = (map: Map<string, string[]>, principal: string, key: string) => {
    const keys = map.get(principal);
    if (keys) keys.push(key);
    else map.set(principal, [key]);
  };
  const cursor = CustomerRequest.find({ site }, { key: 1, reporter: 1, participants: 1 })
    .sort({ key: 1 })
    .lean()
    .cursor({ batchSize: STREAM_BATCH });
  for await (const request of cursor) {
    add(involvement.reported, request.reporter, request.key);
    for (const participant of request.participants) add(involvement.participating, participant, request.key);
  }
  return involvement;
}
