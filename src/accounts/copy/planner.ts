import { compareKeys } from '../../db/keyedStream';
import { openAccountsByEmail, siteEntriesByAccount, siteProfilesByEmail } from '../directoryStreams';
import { emailKey } from '../email';
import { groupsGrantingRole } from '../groups';
import { derivedPortalCustomerId } from '../ids';
import {
  AccountSite,
  type AccountSiteDoc,
  AtlassianAccount,
  type AtlassianAccountDoc,
  CUSTOMER_ROLE,
  Group,
  PortalCustomer,
  type PortalCustomerDoc,
} from '../models';
import type { CopyOutcome, CopyPlan, CopyRequest, DestinationType } from './plan';

/** What is known about one email on both sites: the facts a plan is decided from. */
interface Facts {
  key: string;
  sourceProfiles: PortalCustomerDoc[];
  destinationProfiles: PortalCustomerDoc[];
  account: AtlassianAccountDoc | undefined;
  sourceEntry: AccountSiteDoc | undefined;
  destinationEntry: AccountSiteDoc | undefined;
}

/** Group names of one site that matter to a copy. */
interface SiteGroups {
  grantingOnSource: Set<string>;
  grantingOnDestination: Set<string>;
  /** The destination's imported groups from the source, whatever their review state. */
  importedFromSource: Set<string>;
}

/** What the directory holds about some email keys on both sites of a copy. */
interface Reads {
  sourceProfiles: PortalCustomerDoc[];
  destinationProfiles: PortalCustomerDoc[];
  accounts: AtlassianAccountDoc[];
  sourceEntries: AccountSiteDoc[];
  destinationEntries: AccountSiteDoc[];
}

/** Plans a copy's customers chunk by chunk, with the reads of one job or one preview; close it when done. */
export interface CopyPlanner {
  plan(emails: readonly string[]): Promise<Map<string, CopyOutcome>>;
  close(): Promise<void>;
}

/**
 * Plans the copy of some customers, keyed by email key, with a fixed number of reads whatever their number
 * (never one per customer): profiles on both sites, the emails' open accounts and their entries on both sites.
 */
export async function planCopy(request: CopyRequest, emails: readonly string[]): Promise<Map<string, CopyOutcome>> {
  const { from, to } = request;
  const keys = [...new Set(emails.map(emailKey))];
  const [groups, sourceProfiles, destinationProfiles, accounts] = await Promise.all([
    siteGroups(request),
    PortalCustomer.find({ site: from, emailKey: { $in: keys } }).lean(),
    PortalCustomer.find({ site: to, emailKey: { $in: keys } }).lean(),
    AtlassianAccount.find({ openEmailKey: { $in: keys } }).lean(),
  ]);
  const accountIds = accounts.map((a) => a._id);
  const [sourceEntries, destinationEntries] = await Promise.all([
    AccountSite.find({ site: from, account: { $in: accountIds } }).lean(),
    AccountSite.find({ site: to, account: { $in: accountIds } }).lean(),
  ]);
  return decideAll(request, keys, groups, {
    sourceProfiles,
    destinationProfiles,
    accounts,
    sourceEntries,
    destinationEntries,
  });
}

/**
 * A planner for a whole copy that reads the directory once, not once per chunk: the profiles of both sites and
 * the open accounts are streamed sorted by email key and merged as chunks ask for ascending keys; the two sites'
 * account entries are held by account (only what planning needs). On FerretDB v1 each `$in` of planCopy reads
 * the whole collection, which made a copy's time grow with N². Chunks asking for keys in another order reopen
 * the streams, which stays correct. What it reads is the directory as it was when the streams opened: a copy
 * writes only the keys of the chunk it applies, so later chunks plan from the same facts as planCopy would.
 */
export async function openCopyPlanner(request: CopyRequest): Promise<CopyPlanner> {
  const { from, to } = request;
  const [groups, sourceEntries, destinationEntries] = await Promise.all([
    siteGroups(request),
    siteEntriesByAccount(from),
    siteEntriesByAccount(to),
  ]);
  const open = () => ({
    source: siteProfilesByEmail(from),
    destination: siteProfilesByEmail(to),
    accounts: openAccountsByEmail(),
  });
  let streams = open();
  const close = () => Promise.all(Object.values(streams).map((s) => s.close())).then(() => undefined);
  return {
    async plan(emails) {
      const keys = [...new Set(emails.map(emailKey))].sort(compareKeys);
      if (keys[0] !== undefined && !streams.source.canTake(keys[0])) {
        await close();
        streams = open();
      }
      const reads: Reads = {
        sourceProfiles: [],
        destinationProfiles: [],
        accounts: [],
        sourceEntries: [],
        destinationEntries: [],
      };
      for (const key of keys) {
        reads.sourceProfiles.push(...(await streams.source.take(key)));
        reads.destinationProfiles.push(...(await streams.destination.take(key)));
        for (const account of await streams.accounts.take(key)) {
          reads.accounts.push(account);
          const onSource = sourceEntries.get(account._id);
          const onDestination = destinationEntries.get(account._id);
          if (onSource) reads.sourceEntries.push(onSource);
          if (onDestination) reads.destinationEntries.push(onDestination);
        }
      }
      return decideAll(request, keys, groups, reads);
    },
    close,
  };
}

/**
 * The planner of a copy of some customers: one streaming the directory once when they fill several chunks, else
 * planCopy's lookups of just the chunk's emails (index lookups on MongoDB; a single customer needs no whole site).
 */
export function copyPlanner(request: CopyRequest, stream: boolean): Promise<CopyPlanner> {
  if (stream) return openCopyPlanner(request);
  return Promise.resolve({ plan: (emails) => planCopy(request, emails), close: async () => {} });
}

async function siteGroups({ from, to }: CopyRequest): Promise<SiteGroups> {
  const [grantingOnSource, grantingOnDestination, imported] = await Promise.all([
    groupsGrantingRole(from, CUSTOMER_ROLE),
    groupsGrantingRole(to, CUSTOMER_ROLE),
    Group.find({ site: to, origin: 'imported', 'review.sourceSite': from }, { name: 1 }).lean(),
  ]);
  return {
    grantingOnSource: new Set(grantingOnSource),
    grantingOnDestination: new Set(grantingOnDestination),
    importedFromSource: new Set(imported.map((g) => g.name)),
  };
}

function decideAll(
  request: CopyRequest,
  keys: readonly string[],
  groups: SiteGroups,
  reads: Reads,
): Map<string, CopyOutcome> {
  const accountOf = new Map(reads.accounts.map((a) => [a.emailKey, a]));
  const sourceEntryOf = new Map(reads.sourceEntries.map((e) => [e.account, e]));
  const destinationEntryOf = new Map(reads.destinationEntries.map((e) => [e.account, e]));
  const byKey = (profiles: PortalCustomerDoc[]) => {
    const of = new Map<string, PortalCustomerDoc[]>();
    for (const p of profiles) of.set(p.emailKey, [...(of.get(p.emailKey) ?? []), p]);
    return of;
  };
  const sourceProfilesOf = byKey(reads.sourceProfiles);
  const destinationProfilesOf = byKey(reads.destinationProfiles);
  const outcomes = new Map<string, CopyOutcome>();
  for (const key of keys) {
    const account = accountOf.get(key);
    const facts: Facts = {
      key,
      sourceProfiles: sourceProfilesOf.get(key) ?? [],
      destinationProfiles: destinationProfilesOf.get(key) ?? [],
      account,
      sourceEntry: account && sourceEntryOf.get(account._id),
      destinationEntry: account && destinationEntryOf.get(account._id),
    };
    outcomes.set(key, decide(request, facts, groups));
  }
  return outcomes;
}

const holdsCustomerRole = (entry: AccountSiteDoc | undefined, granting: Set<string>) =>
  Boolean(entry && (entry.roles.includes(CUSTOMER_ROLE) || entry.groups.some((g) => granting.has(g))));

/** The most recent inactive profile: one inactive record per email is enough to say the customer existed. */
function latestInactive(profiles: readonly PortalCustomerDoc[]): PortalCustomerDoc | undefined {
  const time = (p: PortalCustomerDoc) => p.migratedAt?.getTime() ?? 0;
  return profiles
    .filter((p) => p.status === 'inactive')
    .sort((a, b) => time(b) - time(a) || a._id.localeCompare(b._id))[0];
}

/** DOMAIN.md operation 9's table, for one email. */
function decide(request: CopyRequest, facts: Facts, groups: SiteGroups): CopyOutcome {
  const { from, to } = request;
  const { account, sourceEntry, destinationEntry } = facts;
  const sourceActive = facts.sourceProfiles.find((p) => p.status === 'active');
  const sourceInactive = latestInactive(facts.sourceProfiles);
  const customerAccount = holdsCustomerRole(sourceEntry, groups.grantingOnSource) ? account : undefined;
  if (!sourceActive && !sourceInactive && !customerAccount) {
    return { refused: `${facts.key} is no longer a customer of ${from}.` };
  }
  const destinationActive = facts.destinationProfiles.find((p) => p.status === 'active');
  const accountOnDestination = Boolean(destinationEntry?.siteAccess);
  const destination: DestinationType =
    destinationActive && accountOnDestination
      ? 'both'
      : destinationActive
        ? 'portal-only'
        : accountOnDestination
          ? 'atlassian-account'
          : 'none';
  const copyOf = (profile: PortalCustomerDoc) => ({
    id: derivedPortalCustomerId('copy', profile._id, to),
    copyOf: profile._id,
    status: profile.status,
  });
  const plan: CopyPlan = {
    kind: 'copy-customers',
    from,
    to,
    email: (customerAccount ?? sourceActive ?? sourceInactive)?.email ?? facts.key,
    displayName: (sourceActive ?? customerAccount ?? sourceInactive)?.displayName ?? facts.key,
    case: 'already-on-destination',
    source: customerAccount ? 'atlassian-account' : 'portal-only',
    destination,
    portalCustomer: null,
    grantRole: null,
    grantSiteAccess: false,
    importToGroup: null,
    duplicateOf: null,
    notes: [],
  };

  if (customerAccount) {
    // The account is the customer's identity on the destination; an active portal-only profile on the source
    // (a duplicate there) is not copied, since it would make a duplicate on the destination too.
    if (sourceActive) plan.notes.push(`Its active portal-only profile on ${from} is not copied: the account is.`);
    if (holdsCustomerRole(destinationEntry, groups.grantingOnDestination)) {
      plan.notes.push(`The account already has the Customer role on ${to}.`);
    } else {
      plan.grantRole = customerAccount._id;
      if (destinationEntry && !destinationEntry.siteAccess) plan.case = 'site-access-off';
      else if (destinationActive) {
        plan.case = 'duplicate';
        plan.duplicateOf = destinationActive._id;
      } else plan.case = 'customer-role';
      // An account new to the destination gets the access it has on the source: inactive stays inactive.
      plan.grantSiteAccess = !destinationEntry && Boolean(sourceEntry?.siteAccess);
    }
    // A migrated (inactive) profile is history, copied as such; it never counts as a duplicate.
    if (sourceInactive && facts.destinationProfiles.length === 0) {
      plan.portalCustomer = copyOf(sourceInactive);
      if (plan.case === 'already-on-destination') plan.case = 'portal-only';
    }
    return { plan };
  }

  if (sourceActive) {
    if (destinationActive) plan.notes.push(`Already a portal-only customer on ${to}.`);
    else if (account && accountOnDestination) {
      if (holdsCustomerRole(destinationEntry, groups.grantingOnDestination)) {
        plan.notes.push(`Their Atlassian account already has the Customer role on ${to}.`);
      } else if (destinationEntry?.groups.some((g) => groups.importedFromSource.has(g))) {
        plan.notes.push(`Their Atlassian account is already in a group imported from ${from}.`);
      } else {
        plan.case = 'imported-group';
        plan.importToGroup = account._id;
      }
    } else {
      plan.case = 'portal-only';
      plan.portalCustomer = copyOf(sourceActive);
    }
    return { plan };
  }

  if (facts.destinationProfiles.length) plan.notes.push(`Already has a portal-only profile on ${to}.`);
  else if (sourceInactive) {
    plan.case = 'portal-only';
    plan.portalCustomer = copyOf(sourceInactive);
  }
  return { plan };
}
