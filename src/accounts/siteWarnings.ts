import { STREAM_BATCH } from './directoryStreams';
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

/**
 * 3 queries per site (plus 2 per further IN_BATCH active portal-only customers not invited), none per customer:
 * the site's active portal-only profiles, streamed; for each batch of those not invited, the open accounts with
 * their emails and those accounts' entries with access on the site. Memory is bounded by one batch.
 */
export async function siteWarnings(site: string, sampleSize = 5): Promise<SiteWarnings> {
  const invited = new Tally(sampleSize);
  const duplicates = new Tally(sampleSize);
  let notInvited = new Map<string, string>(); // email key → email
  const profiles = PortalCustomer.find({ site, status: 'active' }, { email: 1, emailKey: 1, invitedToProduct: 1 })
    .lean()
    .cursor({ batchSize: STREAM_BATCH });
  for await (const profile of profiles) {
    if (profile.invitedToProduct) invited.add(profile.email);
    else notInvited.set(profile.emailKey, profile.email);
    if (notInvited.size === IN_BATCH) {
      await countDuplicates(site, notInvited, duplicates);
      notInvited = new Map();
    }
  }
  if (notInvited.size) await countDuplicates(site, notInvited, duplicates);
  return { site, invitedNotMigrated: invited.result(), duplicates: duplicates.result() };
}

/** Counts the profiles (email key → email) whose email has an open account with access on the site. */
async function countDuplicates(site: string, profiles: Map<string, string>, tally: Tally): Promise<void> {
  const accounts = await AtlassianAccount.find({ openEmailKey: { $in: [...profiles.keys()] } }, { emailKey: 1 }).lean();
  if (accounts.length === 0) return;
  const withAccess = await AccountSite.find(
    { site, siteAccess: true, account: { $in: accounts.map((a) => a._id) } },
    { account: 1 },
  ).lean();
  const emailOf = new Map(accounts.map((a) => [a._id, profiles.get(a.emailKey)]));
  for (const entry of withAccess) {
    const email = emailOf.get(entry.account);
    if (email) tally.add(email);
  }
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
