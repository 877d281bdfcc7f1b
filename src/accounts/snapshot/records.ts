import type { AccountSiteDoc, AtlassianAccountDoc, GroupDoc, PortalCustomerDoc, RequestDoc, SiteDoc } from '../models';
import { accountKeys, accountSiteId, groupId, portalCustomerKeys, requestId } from '../models';
import {
  formatTime,
  parseTime,
  type SnapshotAccount,
  type SnapshotGroup,
  type SnapshotPortalCustomer,
  type SnapshotRequest,
  type SnapshotSite,
} from './format';

/**
 * The mapping between snapshot records and database documents, both ways in one place so that load and
 * export stay each other's inverse. Record fields are listed in the order the format writes them.
 */

/** Group memberships of one account: site -> group names. Snapshots keep them on the groups. */
export type Memberships = ReadonlyMap<string, readonly string[]>;

const sorted = (values: readonly string[]) => [...values].sort();
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const siteDoc = (s: SnapshotSite, organization: string): SiteDoc => ({
  _id: s.id,
  organization,
  host: s.host,
  workspace: s.workspace,
  portalUrl: s.portalUrl,
  projects: s.projects.map((p) => ({ key: p.key, name: p.name })),
});

export const siteRecord = (s: SiteDoc): SnapshotSite => ({
  id: s._id,
  host: s.host,
  workspace: s.workspace,
  portalUrl: s.portalUrl,
  projects: s.projects.map((p) => ({ key: p.key, name: p.name })).sort((a, b) => byString(a.key, b.key)),
});

export function portalCustomerDoc(p: SnapshotPortalCustomer): PortalCustomerDoc {
  const doc = {
    _id: p.id,
    site: p.site,
    email: p.email,
    displayName: p.displayName,
    status: p.status,
    invitedToProduct: parseTime(p.invitedToProduct),
    migratedTo: p.migratedTo,
    migratedAt: parseTime(p.migratedAt),
  };
  return { ...doc, ...portalCustomerKeys(doc) };
}

export const portalCustomerRecord = (p: PortalCustomerDoc): SnapshotPortalCustomer => ({
  id: p._id,
  site: p.site,
  email: p.email,
  displayName: p.displayName,
  status: p.status,
  invitedToProduct: formatTime(p.invitedToProduct),
  migratedTo: p.migratedTo,
  migratedAt: formatTime(p.migratedAt),
});

export function accountDoc(a: SnapshotAccount): AtlassianAccountDoc {
  const doc = {
    _id: a.id,
    email: a.email,
    displayName: a.displayName,
    emailVerified: a.emailVerified,
    status: a.status,
  };
  return { ...doc, ...accountKeys(doc) };
}

export const accountSiteDocs = (a: SnapshotAccount, memberships: Memberships): AccountSiteDoc[] =>
  a.sites.map((s) => ({
    _id: accountSiteId(a.id, s.site),
    account: a.id,
    site: s.site,
    siteAccess: s.siteAccess,
    products: sorted(s.products),
    roles: sorted(s.roles),
    groups: sorted(memberships.get(s.site) ?? []),
    admin: s.admin,
  }));

export const accountRecord = (a: AtlassianAccountDoc, entries: readonly AccountSiteDoc[]): SnapshotAccount => ({
  id: a._id,
  email: a.email,
  displayName: a.displayName,
  emailVerified: a.emailVerified,
  status: a.status,
  sites: [...entries]
    .sort((x, y) => byString(x.site, y.site))
    .map((s) => ({
      site: s.site,
      siteAccess: s.siteAccess,
      products: sorted(s.products),
      roles: sorted(s.roles),
      admin: s.admin,
    })),
});

export const groupDoc = (g: SnapshotGroup): GroupDoc => ({
  _id: groupId(g.site, g.name),
  site: g.site,
  name: g.name,
  roles: sorted(g.roles),
  origin: g.origin,
  review: g.review && {
    state: g.review.state,
    sourceSite: g.review.sourceSite,
    reviewedBy: g.review.reviewedBy && { id: g.review.reviewedBy.id, name: g.review.reviewedBy.name },
    reviewedAt: parseTime(g.review.reviewedAt),
    reason: g.review.reason,
  },
});

export const groupRecord = (g: GroupDoc, members: readonly string[]): SnapshotGroup => ({
  site: g.site,
  name: g.name,
  roles: sorted(g.roles),
  origin: g.origin,
  review: g.review
    ? {
        state: g.review.state,
        sourceSite: g.review.sourceSite,
        reviewedBy: g.review.reviewedBy ? { id: g.review.reviewedBy.id, name: g.review.reviewedBy.name } : null,
        reviewedAt: formatTime(g.review.reviewedAt ?? null),
        reason: g.review.reason ?? null,
      }
    : null,
  members: sorted(members),
});

export const requestDoc = (r: SnapshotRequest): RequestDoc => ({
  _id: requestId(r.site, r.key),
  site: r.site,
  key: r.key,
  project: r.project,
  reporter: r.reporter,
  participants: [...r.participants],
  createdAt: new Date(r.createdAt),
});

export const requestRecord = (r: RequestDoc): SnapshotRequest => ({
  key: r.key,
  site: r.site,
  project: r.project,
  reporter: r.reporter,
  participants: sorted(r.participants),
  createdAt: formatTime(r.createdAt) as string,
});
