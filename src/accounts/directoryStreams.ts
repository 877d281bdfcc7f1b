import { KeyedStream } from '../db/keyedStream';
import {
  AccountSite,
  type AccountSiteDoc,
  AtlassianAccount,
  type AtlassianAccountDoc,
  PortalCustomer,
  type PortalCustomerDoc,
} from './models';

/**
 * The directory read once for a whole job, as copies and migrations of many chunks do: collections streamed in
 * email-key order, and a site's account entries held by account. Each is one query however large the site.
 */
export const STREAM_BATCH = 1000;

/** A site's portal-only profiles, whatever their status, in email-key order. */
export const siteProfilesByEmail = (site: string) =>
  new KeyedStream(
    PortalCustomer.find({ site }).sort({ emailKey: 1 }).lean<PortalCustomerDoc[]>().cursor({ batchSize: STREAM_BATCH }),
    (profile) => profile.emailKey,
  );

/** Every open (not closed) Atlassian account, in email-key order. */
export const openAccountsByEmail = () =>
  new KeyedStream(
    AtlassianAccount.find({ status: { $ne: 'closed' } })
      .sort({ openEmailKey: 1 })
      .lean<AtlassianAccountDoc[]>()
      .cursor({ batchSize: STREAM_BATCH }),
    (account) => account.openEmailKey,
  );

/** A site's account entries, by account. */
export async function siteEntriesByAccount(site: string): Promise<Map<string, AccountSiteDoc>> {
  const entries = new Map<string, AccountSiteDoc>();
  const cursor = AccountSite.find({ site }).lean<AccountSiteDoc[]>().cursor({ batchSize: STREAM_BATCH });
  for await (const entry of cursor) entries.set(entry.account, entry);
  return entries;
}
