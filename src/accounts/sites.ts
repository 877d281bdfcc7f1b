import { ConnectedSite, readOnlySentence } from '../atlassian/connectedSite';
import { notFound, refused } from './errors';
import { Site, type SiteDoc } from './models';

export async function requireSite(id: string): Promise<SiteDoc> {
  const site = await Site.findById(id).lean();
  if (site) return site;
  const known = (await Site.find({}, { _id: 1 }).sort({ _id: 1 }).lean()).map((s) => s._id);
  const hint = known.length ? ` Known sites: ${known.join(', ')}.` : ' The directory has no sites yet.';
  throw notFound(`There is no site "${id}".${hint}`);
}

/**
 * A site the bot may change. A site connected to Atlassian is read-only until write-back is released: every
 * write path (migrations, site access, copies to it, reviews, new customers) asks here, so the CLI and Slack
 * refuse alike, with one sentence. Reads (lookups, previews, counts, reports) use requireSite.
 */
export async function requireWritableSite(id: string): Promise<SiteDoc> {
  const [site, connected] = await Promise.all([requireSite(id), ConnectedSite.findById(id).lean()]);
  if (connected) throw refused(readOnlySentence(site._id, connected.host));
  return site;
}

/**
 * Refuses writing a whole directory's records (a snapshot load, a seed) that hold a connected site's: only its
 * syncs write those, which is what lets every one of them say it was seen by the site's last complete sync.
 */
export async function requireNoneConnected(ids: readonly string[]): Promise<void> {
  const connected = await ConnectedSite.findOne({ _id: { $in: [...ids] } }).lean();
  if (connected) throw refused(`${readOnlySentence(connected._id, connected.host)} Nothing was written.`);
}
