import { AccountSite, AtlassianAccount, PortalCustomer } from './models';

/**
 * The warnings of DOMAIN.md operation 1 counted over a whole site, for the admins' App Home: active portal-only
 * customers invited to a product but not migrated, and duplicates (an active portal-only profile, not invited,
 * whose email has an open Atlassian account with access to the same site). Each customer is counted once, under
 * the more specific warning, as the lookup reports it.
 */
export interface SiteWarnings {
  site: string;
  invitedNotMigrated: WarningTally;
  duplicates: WarningTally;
}

export interface WarningTally {
  count: number;
  /** The first emails in alphabetical order. */
  sample: string[];
}

/**
 * Keys per `$in` query. FerretDB v1 answers `$in` with a scan of the collection, so a site costs a scan per
 * batch: batches are large, and a site is 3 queries up to this many active portal-only customers.
 */
const IN_BATCH = 20_000;
const STREAM_BATCH = 1000;

/**
 * 3 queries per site (plus 2 per further IN_BATCH active portal-only customers), none per customer: the site's
 * active portal-only profiles, the open accounts with their emails, and those accounts' entries with access on
 * the site.
 */
export async function siteWarnings(site: string, sampleSize = 5): Promise<SiteWarnings> {
  const invited = new Tally(sampleSize);
  const notInvited = new Map<string, string>(); // email key → email
  const profiles = PortalCustomer.find({ site, status: 'active' }, { email: 1, emailKey: 1, invitedToProduct: 1 })
    .lean()
    .cursor({ batchSize: STREAM_BATCH });
  for await (const profile of profiles) {
    if (profile.invitedToProduct) invited.add(profile.email);
    else notInvited.set(profile.emailKey, profile.email);
  }

  const duplicates = new Tally(sampleSize);
  const keys = [...notInvited.keys()];
  for (let i = 0; i < keys.length; i += IN_BATCH) {
    const accounts = await AtlassianAccount.find(
      { openEmailKey: { $in: keys.slice(i, i + IN_BATCH) } },
      { emailKey: 1 },
    ).lean();
    if (accounts.length === 0) continue;
    const withAccess = await AccountSite.find(
      { site, siteAccess: true, account: { $in: accounts.map((a) => a._id) } },
      { account: 1 },
    ).lean();
    const emailKeyOf = new Map(accounts.map((a) => [a._id, a.emailKey]));
    for (const entry of withAccess) duplicates.add(notInvited.get(emailKeyOf.get(entry.account) ?? '') ?? '');
  }
  return { site, invitedNotMigrated: invited.result(), duplicates: duplicates.result() };
}

/** A count and the alphabetically first few emails, in memory bounded by the sample size. */
class Tally {
  private count = 0;
  private sample: string[] = [];

  constructor(private readonly size: number) {}

  add(email: string): void {
    this.count++;
    if (this.sample.length === this.size && email >= (this.sample.at(-1) ?? '')) return;
    this.sample = [...this.sample, email].sort().slice(0, this.size);
  }

  result(): WarningTally {
    return { count: this.count, sample: this.sample };
  }
}
