import { createHash } from 'node:crypto';
import type { ServiceDeskModels, Version3Models } from 'jira.js';
import type { Snapshot, SnapshotAccount, SnapshotPortalCustomer } from '../../../src/accounts/snapshot/format';
import type { ManagedAccount } from '../../../src/atlassian/admin';
import { SITE_ADMINS_GROUP } from '../../../src/atlassian/records';

/**
 * What an Atlassian Cloud organization holds, built from a directory snapshot: per site its service desks,
 * customers, users, groups and requests, in the shapes of jira.js's types (generated from Atlassian's OpenAPI
 * descriptions), so the emulator cannot drift from the client the bot uses.
 */

/** An Atlassian-style account id (`712020:<uuid>`), derived from the directory's id so tests can map them. */
export function atlassianIdOf(directoryId: string): string {
  const h = createHash('sha256').update(directoryId).digest('hex');
  return `712020:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const PRODUCT_KEYS: Record<string, { role: string | null; admin: string }> = {
  'jira-software': { role: 'jira-software', admin: 'jira-software' },
  'jira-servicemanagement': { role: 'jira-servicedesk', admin: 'jira-servicedesk' },
  confluence: { role: null, admin: 'confluence' },
};

export interface AppRequest {
  site: string;
  key: string;
  project: string;
  createdAt: string;
}

export interface DirectoryOptions {
  /** Emails the site APIs leave out (the user's profile visibility); the Admin API still gives them. */
  hiddenEmails?: readonly string[];
  /** Requests whose reporter is an app (an automation, an integration). */
  appRequests?: readonly AppRequest[];
}

export interface EmulatedSite {
  host: string;
  desks: ServiceDeskModels.ServiceDesk[];
  /** Customers of each desk (portal-only ones and accounts with the Customer role). */
  customers: ServiceDeskModels.User[];
  users: Version3Models.User[];
  groups: { details: Version3Models.GroupDetails; members: string[] }[];
  issues: { project: string; issue: Version3Models.Issue }[];
}

export interface EmulatedOrganization {
  id: string;
  name: string;
  sites: Map<string, EmulatedSite>;
  managed: ManagedAccount[];
}

export const PARTICIPANTS_FIELD = 'customfield_10026';
const APP_ID = '557058:0867a421-a9ee-4659-801a-bc0ee4a4487e';

export function emulatedOrganization(snapshot: Snapshot, options: DirectoryOptions = {}): EmulatedOrganization {
  const hidden = new Set((options.hiddenEmails ?? []).map((e) => e.toLowerCase()));
  const idOf = (id: string) => (id.startsWith('qm:') ? id : atlassianIdOf(id));
  const sites = new Map<string, EmulatedSite>();
  for (const site of snapshot.sites) {
    const base = `https://${site.host}`;
    const desks = site.projects.map((p, i) => ({
      id: String(i + 1),
      projectId: String(10000 + i),
      projectKey: p.key,
      projectName: p.name,
    }));
    const siteAccounts = snapshot.accounts.flatMap((a) => {
      const entry = a.sites.find((s) => s.site === site.id);
      return entry ? [{ account: a, entry }] : [];
    });
    const customerOf = (p: SnapshotPortalCustomer): ServiceDeskModels.User => ({
      accountId: p.id,
      emailAddress: p.email,
      displayName: p.displayName,
      active: p.status === 'active',
      timeZone: 'Etc/UTC',
    });
    const accountUser = (a: SnapshotAccount): ServiceDeskModels.User => ({
      accountId: idOf(a.id),
      ...(hidden.has(a.email.toLowerCase()) ? {} : { emailAddress: a.email }),
      displayName: a.displayName,
      active: a.status === 'active',
      timeZone: 'Etc/UTC',
    });
    const customers = [
      ...snapshot.portalCustomers.filter((p) => p.site === site.id).map(customerOf),
      ...siteAccounts
        .filter(({ entry }) => entry.roles.includes('customer'))
        .map(({ account }) => accountUser(account)),
    ];
    const users: Version3Models.User[] = [
      ...siteAccounts.map(({ account }) => ({
        ...accountUser(account),
        accountId: idOf(account.id),
        self: `${base}/rest/api/3/user?accountId=${idOf(account.id)}`,
        accountType: 'atlassian',
        active: account.status === 'active',
        displayName: account.displayName,
      })),
      // Portal-only customers show up in user searches too, as accountType "customer".
      ...snapshot.portalCustomers
        .filter((p) => p.site === site.id)
        .map((p) => ({ ...customerOf(p), accountId: p.id, active: p.status === 'active', accountType: 'customer' })),
    ];
    const groups = snapshot.groups
      .filter((g) => g.site === site.id)
      .map((g, i) => ({ details: { name: g.name, groupId: groupIdOf(site.id, i) }, members: g.members.map(idOf) }));
    const admins = siteAccounts.filter(({ entry }) => entry.admin).map(({ account }) => idOf(account.id));
    groups.push({ details: { name: SITE_ADMINS_GROUP, groupId: groupIdOf(site.id, 99) }, members: admins });
    const issues = snapshot.requests
      .filter((r) => r.site === site.id)
      .map((r) => ({
        project: r.project,
        issue: issueOf(r.key, r.createdAt, { accountId: idOf(r.reporter), accountType: reporterType(r.reporter) }, [
          ...r.participants.map((id) => ({ accountId: idOf(id), accountType: reporterType(id) })),
        ]),
      }));
    for (const r of options.appRequests ?? []) {
      if (r.site !== site.id) continue;
      issues.push({
        project: r.project,
        issue: issueOf(r.key, r.createdAt, { accountId: APP_ID, accountType: 'app' }, []),
      });
    }
    sites.set(site.host, { host: site.host, desks, customers, users, groups, issues });
  }
  const hostOf = new Map(snapshot.sites.map((s) => [s.id, s.host]));
  const managed = snapshot.accounts.map(
    (a): ManagedAccount => ({
      account_id: idOf(a.id),
      account_type: 'atlassian',
      account_status: a.status,
      name: a.displayName,
      picture: 'https://avatar-management.services.atlassian.com/default/48',
      email: a.email,
      access_billable: a.sites.some((s) => s.products.length > 0),
      product_access: a.sites.flatMap((s) =>
        s.products.map((p) => ({
          key: PRODUCT_KEYS[p]?.admin ?? p,
          name: p,
          url: `https://${hostOf.get(s.site)}`,
        })),
      ),
      links: { self: `https://api.atlassian.com/users/${idOf(a.id)}/manage/profile` },
    }),
  );
  return { id: snapshot.organization.id, name: snapshot.organization.name, sites, managed };

  function reporterType(id: string) {
    return id.startsWith('qm:') ? 'customer' : 'atlassian';
  }
}

/** GET /rest/api/3/user?expand=groups,applicationRoles: the user with their groups and Jira product access. */
export function expandedUser(org: EmulatedOrganization, site: EmulatedSite, user: Version3Models.User) {
  const groups = site.groups.filter((g) => g.members.includes(user.accountId));
  const managed = org.managed.find((m) => m.account_id === user.accountId);
  const roles = Object.values(PRODUCT_KEYS)
    .filter((k) => k.role && managed?.product_access?.some((p) => p.key === k.admin && p.url?.endsWith(site.host)))
    .map((k) => ({ key: k.role as string, name: k.role as string }));
  const expanded: Version3Models.User = {
    ...user,
    groups: { size: groups.length, items: groups.map((g) => ({ name: g.details.name, groupId: g.details.groupId })) },
    applicationRoles: { size: roles.length, items: roles },
    expand: 'groups,applicationRoles',
  };
  return expanded;
}

const groupIdOf = (site: string, i: number) =>
  createHash('sha256')
    .update(`${site}/${i}`)
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');

function issueOf(
  key: string,
  createdAt: string,
  reporter: { accountId: string; accountType: string },
  participants: { accountId: string; accountType: string }[],
): Version3Models.Issue {
  // Jira writes times with milliseconds and a numeric zone: 2026-09-01T08:00:00.000+0000.
  const created = new Date(createdAt).toISOString().replace('Z', '+0000');
  return {
    id: String(10000 + Number(key.split('-')[1])),
    key,
    fields: {
      created,
      reporter: { ...reporter, active: true },
      [PARTICIPANTS_FIELD]: participants.map((p) => ({ ...p, active: true })),
    } as unknown as Version3Models.Fields,
  };
}
