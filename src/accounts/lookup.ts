import { connectedSitesAmong, partialNotes, type SeenBy, seenBy } from '../atlassian/partial';
import { plural } from '../text';
import { accountSitesOf } from './accountSiteChange';
import { type Billing, billingOf } from './billing';
import { emailKey, parseEmail } from './email';
import { effectiveRoles, groupsByName } from './groups';
import {
  type AccountSiteDoc,
  type AccountStatus,
  AtlassianAccount,
  CustomerRequest,
  PortalCustomer,
  type PortalCustomerStatus,
} from './models';

/** DOMAIN.md operation 1: everything known about one email, across every site. */
export interface CustomerLookup {
  /** As the directory stores it (the account's, else the first profile's); as typed when nothing has it. */
  email: string;
  portalProfiles: PortalProfileView[];
  account: AccountView | null;
  warnings: LookupWarning[];
  nextActions: NextAction[];
  /** Where the directory is partial because a site is synced from Atlassian: one sentence per such site. */
  partial: string[];
}

export interface PortalProfileView {
  id: string;
  site: string;
  email: string;
  displayName: string;
  status: PortalCustomerStatus;
  invitedToProduct: Date | null;
  migratedTo: string | null;
  migratedAt: Date | null;
  requestCount: number;
  /** On a site connected to Atlassian only: the sync that last saw it, null before the site's first. */
  seenBy?: SeenBy | null;
}

/** An account's entry for a site, with `roles` holding its effective roles (direct and from its groups). */
export type AccountSiteView = Omit<AccountSiteDoc, '_id' | 'account'> & {
  requestCount: number;
  /** On a site connected to Atlassian only: the sync that last saw the entry, null before the site's first. */
  seenBy?: SeenBy | null;
};

export interface AccountView {
  id: string;
  email: string;
  displayName: string;
  emailVerified: boolean;
  status: AccountStatus;
  sites: AccountSiteView[];
  billing: Billing;
}

export type LookupWarning =
  | { kind: 'duplicate'; site: string; message: string }
  | { kind: 'invited-not-migrated'; site: string; message: string }
  | { kind: 'email-not-verified'; message: string };

export type NextAction =
  | { kind: 'migrate'; site: string }
  | { kind: 'make-portal-only'; site: string }
  | { kind: 'restore-site-access'; site: string };

async function requestCounts(reporters: string[]): Promise<Map<string, number>> {
  const rows = await CustomerRequest.aggregate<{ _id: { reporter: string; site: string }; count: number }>([
    { $match: { reporter: { $in: reporters } } },
    { $group: { _id: { reporter: '$reporter', site: '$site' }, count: { $sum: 1 } } },
  ]);
  return new Map(rows.map((row) => [`${row._id.reporter}@${row._id.site}`, row.count]));
}

export async function findByEmail(input: string): Promise<CustomerLookup> {
  const email = parseEmail(input);
  const key = emailKey(email);
  const [profiles, account] = await Promise.all([
    PortalCustomer.find({ emailKey: key }).sort({ site: 1, status: 1, _id: 1 }).lean(),
    AtlassianAccount.findOne({ openEmailKey: key }).lean(),
  ]);
  const counts = await requestCounts([...profiles.map((p) => p._id), ...(account ? [account._id] : [])]);
  const countOf = (reporter: string, site: string) => counts.get(`${reporter}@${site}`) ?? 0;

  const portalProfiles: PortalProfileView[] = profiles.map((p) => ({
    id: p._id,
    site: p.site,
    email: p.email,
    displayName: p.displayName,
    status: p.status,
    invitedToProduct: p.invitedToProduct,
    migratedTo: p.migratedTo,
    migratedAt: p.migratedAt,
    requestCount: countOf(p._id, p.site),
  }));

  let accountView: AccountView | null = null;
  if (account) {
    const entries = [...(await accountSitesOf(account._id)).values()];
    const sites: AccountSiteView[] = [];
    for (const entry of entries) {
      const groups = await groupsByName(entry.site, entry.groups);
      sites.push({
        site: entry.site,
        siteAccess: entry.siteAccess,
        products: [...entry.products].sort(),
        roles: effectiveRoles(entry.roles, [...groups.values()]),
        groups: [...entry.groups].sort(),
        admin: entry.admin,
        requestCount: countOf(account._id, entry.site),
      });
    }
    accountView = {
      id: account._id,
      email: account.email,
      displayName: account.displayName,
      emailVerified: account.emailVerified,
      status: account.status,
      sites,
      billing: billingOf(account, entries),
    };
  }

  const connected = await connectedSitesAmong([
    ...portalProfiles.map((p) => p.site),
    ...(accountView?.sites ?? []).map((s) => s.site),
  ]);
  const withSeenBy = <T extends { site: string }>(record: T): T => {
    const seen = seenBy(connected.get(record.site));
    return seen === undefined ? record : { ...record, seenBy: seen };
  };
  if (accountView) accountView.sites = accountView.sites.map(withSeenBy);
  const profilesSeen = portalProfiles.map(withSeenBy);
  return {
    email: account?.email ?? profiles[0]?.email ?? email,
    portalProfiles: profilesSeen,
    account: accountView,
    warnings: warningsFor(profilesSeen, accountView),
    nextActions: nextActionsFor(profilesSeen, accountView),
    partial: partialNotes(connected),
  };
}

/** A lookup as seen by someone who may read only some sites, and how many profiles on other sites it left out. */
export interface ScopedLookup {
  lookup: CustomerLookup;
  /** Portal-only profiles and account entries on sites the reader may not read. */
  hidden: number;
}

/**
 * Keeps what is on `sites` (null: every site, nothing hidden): portal-only profiles, the account's entries (its
 * billing is then that of those entries), warnings and next actions. An account with entries on other sites
 * only is left out whole.
 */
export function lookupOnSites(lookup: CustomerLookup, sites: readonly string[] | null): ScopedLookup {
  if (!sites) return { lookup, hidden: 0 };
  const readable = (site: string) => sites.includes(site);
  const portalProfiles = lookup.portalProfiles.filter((p) => readable(p.site));
  let hidden = lookup.portalProfiles.length - portalProfiles.length;
  let account = lookup.account;
  if (account) {
    const entries = account.sites.filter((entry) => readable(entry.site));
    hidden += account.sites.length - entries.length;
    account =
      entries.length === 0 && account.sites.length > 0
        ? null
        : { ...account, sites: entries, billing: billingOf(account, entries) };
  }
  const warnings = lookup.warnings.filter((w) => ('site' in w ? readable(w.site) : account !== null));
  const nextActions = lookup.nextActions.filter((a) => readable(a.site));
  return { lookup: { ...lookup, portalProfiles, account, warnings, nextActions }, hidden };
}

function warningsFor(profiles: PortalProfileView[], account: AccountView | null): LookupWarning[] {
  const warnings: LookupWarning[] = [];
  const accessOn = (site: string) => account?.sites.some((s) => s.site === site && s.siteAccess) ?? false;
  for (const p of profiles.filter((profile) => profile.status === 'active')) {
    if (p.invitedToProduct) {
      // An invitation is what creates the duplicate, so it is reported once, as the more specific warning.
      warnings.push({
        kind: 'invited-not-migrated',
        site: p.site,
        message: `${p.email} was invited to a product but not migrated on ${p.site}: the Atlassian account cannot see the ${plural(p.requestCount, 'request')} raised as portal-only. Migrate the portal-only profile.`,
      });
    } else if (accessOn(p.site)) {
      warnings.push({
        kind: 'duplicate',
        site: p.site,
        message: `${p.email} has both a portal-only profile and an Atlassian account with access on ${p.site}: the account cannot see the ${plural(p.requestCount, 'request')} raised as portal-only. Migrate the portal-only profile.`,
      });
    }
  }
  if (account && !account.emailVerified) {
    warnings.push({
      kind: 'email-not-verified',
      message: `The Atlassian account's email ${account.email} is not verified: the customer must verify it before logging in with Atlassian credentials.`,
    });
  }
  return warnings;
}

function nextActionsFor(profiles: PortalProfileView[], account: AccountView | null): NextAction[] {
  const actions: NextAction[] = [];
  const activePortalSites = new Set(profiles.filter((p) => p.status === 'active').map((p) => p.site));
  for (const site of activePortalSites) actions.push({ kind: 'migrate', site });
  if (account && account.status !== 'closed') {
    for (const entry of account.sites) {
      if (!entry.siteAccess) actions.push({ kind: 'restore-site-access', site: entry.site });
      else if (!entry.admin && !activePortalSites.has(entry.site))
        actions.push({ kind: 'make-portal-only', site: entry.site });
    }
  }
  return actions;
}
