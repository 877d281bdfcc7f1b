import { plural } from '../text';
import { ConnectedSite, type ConnectedSiteDoc } from './connectedSite';

/**
 * What a lookup says about the records of sites synced from Atlassian: which sync last saw them, and where they
 * are partial.
 */

/** The connected sites among `sites`, by id (one query for everything a lookup says about them). */
export async function connectedSitesAmong(sites: readonly string[]): Promise<Map<string, ConnectedSiteDoc>> {
  if (sites.length === 0) return new Map();
  const connected = await ConnectedSite.find({ _id: { $in: [...new Set(sites)] } }).lean();
  return new Map(connected.map((site) => [site._id, site]));
}

/** The sync that last saw a record: its job, and when its reading of the site began. */
export interface SeenBy {
  job: string;
  readAt: Date;
}

/**
 * Which sync last saw a record of a site: the site's last complete sync. A connected site is read-only in the
 * bot, so only syncs write its records, and a complete sync leaves the site's records exactly as it read them
 * (it writes those that differ, removes those it no longer saw, and records itself as lastSync only then); an
 * incomplete one writes nothing. So every record of the site in the directory was seen by that sync. This is
 * derived rather than stamped on each record, because a stamp would rewrite every record at every sync, where
 * a second sync with nothing changed writes nothing. Null while the site has had no complete sync (its records
 * are what the directory held before); undefined for a site that is not connected.
 */
export function seenBy(site: ConnectedSiteDoc | undefined): SeenBy | null | undefined {
  if (!site) return undefined;
  return site.lastSync ? { job: site.lastSync.job, readAt: new Date(site.lastSync.readAt) } : null;
}

/**
 * What a lookup cannot tell about profiles on sites synced from Atlassian: the public APIs do not give whether an
 * account's email is verified, nor when a portal-only profile was invited or migrated, and the last sync may have
 * left out records it could not read. One sentence per connected site, in site order.
 */
export function partialNotes(connected: ReadonlyMap<string, ConnectedSiteDoc>): string[] {
  return [...connected.values()]
    .sort((a, b) => (a._id < b._id ? -1 : 1))
    .map((site) => {
      const left = site.lastSync?.unreadable
        ? ` Its last sync could not read ${plural(site.lastSync.unreadable, 'record')} (hidden emails, requests reported by apps), so request counts may be short.`
        : '';
      return `${site._id} is synced from ${site.host}: partial where Atlassian's APIs cannot tell (email verification, invitation and migration history).${left}`;
    });
}
