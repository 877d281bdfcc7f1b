import { notFound } from './errors';
import { Site, type SiteDoc } from './models';

export async function requireSite(id: string): Promise<SiteDoc> {
  const site = await Site.findById(id).lean();
  if (site) return site;
  const known = (await Site.find({}, { _id: 1 }).sort({ _id: 1 }).lean()).map((s) => s._id);
  const hint = known.length ? ` Known sites: ${known.join(', ')}.` : ' The directory has no sites yet.';
  throw notFound(`There is no site "${id}".${hint}`);
}
