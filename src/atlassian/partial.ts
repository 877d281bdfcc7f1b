import { plural } from '../text';
import { ConnectedSite } from './connectedSite';

/**
 * What a lookup cannot tell about profiles on sites synced from Atlassian: the public APIs do not give whether an
 * account's email is verified, nor when a portal-only profile was invited or migrated, and the last sync may have
 * left out records it could not read. One sentence per connected site among `sites`.
 */
export async function partialNotes(sites: readonly string[]): Promise<string[]> {
  if (sites.length === 0) return [];
  const connected = await ConnectedSite.find({ _id: { $in: [...new Set(sites)] } })
    .sort({ _id: 1 })
    .lean();
  return connected.map((site) => {
    const left = site.lastSync?.unreadable
      ? ` Its last sync could not read ${plural(site.lastSync.unreadable, 'record')} (hidden emails, requests reported by apps), so request counts may be short.`
      : '';
    return `${site._id} is synced from ${site.host}: partial where Atlassian's APIs cannot tell (email verification, invitation and migration history).${left}`;
  });
}
