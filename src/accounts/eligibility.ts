import { AccountSite, AtlassianAccount, type AtlassianAccountDoc, PortalCustomer, portalActiveKey } from './models';
import { requireSite } from './sites';

/**
 * DOMAIN.md operation 7, "Mark all as portal-only": active Atlassian accounts with access to the site that
 * hold no product access there (no licence), belong to none of its groups, are not its admins, and are not
 * portal-only there yet.
 */
export const eligibleEntryFilter = (site: string) => ({
  site,
  siteAccess: true,
  admin: false,
  products: { $size: 0 },
  groups: { $size: 0 },
});

const BATCH = 1000;

/** Streams the eligible accounts in batches sorted by id, so a site of any size is walked in bounded memory. */
export async function* eligibleAccounts(siteId: string): AsyncGenerator<AtlassianAccountDoc[]> {
  const site = await requireSite(siteId);
  const cursor = AccountSite.find(eligibleEntryFilter(site._id), { account: 1 })
    .sort({ _id: 1 })
    .lean()
    .cursor({ batchSize: BATCH });
  let ids: string[] = [];
  const resolve = async () => {
    const accounts = await AtlassianAccount.find({ _id: { $in: ids }, status: 'active' })
      .sort({ _id: 1 })
      .lean();
    ids = [];
    const keys = accounts.map((a) => portalActiveKey({ _id: '', site: site._id, email: a.email, status: 'active' }));
    const portal = await PortalCustomer.find({ activeKey: { $in: keys } }, { emailKey: 1 }).lean();
    const alreadyPortal = new Set(portal.map((p) => p.emailKey));
    return accounts.filter((a) => !alreadyPortal.has(a.emailKey));
  };
  for await (const entry of cursor) {
    ids.push(entry.account);
    if (ids.length === BATCH) yield await resolve();
  }
  if (ids.length) yield await resolve();
}

export interface EligibilitySummary {
  site: string;
  count: number;
  sample: Pick<AtlassianAccountDoc, '_id' | 'email' | 'displayName'>[];
}

export async function eligibleForPortalOnly(site: string, sampleSize = 10): Promise<EligibilitySummary> {
  let count = 0;
  const sample: EligibilitySummary['sample'] = [];
  for await (const batch of eligibleAccounts(site)) {
    count += batch.length;
    for (const a of batch.slice(0, sampleSize - sample.length)) {
      sample.push({ _id: a._id, email: a.email, displayName: a.displayName });
    }
  }
  return { site, count, sample };
}
