import { derivedAccountId, derivedPortalCustomerId, isAccountId, isPortalCustomerId } from '../accounts/ids';
import { CUSTOMER_ROLE } from '../accounts/models';
import type {
  SnapshotAccount,
  SnapshotGroup,
  SnapshotPortalCustomer,
  SnapshotRequest,
  SnapshotSite,
} from '../accounts/snapshot/format';
import { formatTime } from '../accounts/snapshot/format';
import type { SiteReading } from './read';

/**
 * What was read from a site, as directory snapshot records of that site, and what could not be read and why.
 * Fields no public API gives (invitedToProduct, migratedTo, migratedAt, emailVerified, a group's origin and
 * review) are left for the reconciler to keep from the directory.
 */

/** Site admins are members of this group on Atlassian Cloud; it becomes `admin`, not a directory group. */
export const SITE_ADMINS_GROUP = 'site-admins';
/** Groups named so carry the Customer role (the customers group a migration joins); no API says which do. */
const CUSTOMER_GROUP = /^jira-servicemanagement-customers-/;

/** Jira application role keys and Admin API product keys, as the directory names products. */
const PRODUCTS: Record<string, string> = {
  'jira-software': 'jira-software',
  'jira-servicedesk': 'jira-servicemanagement',
  'jira-service-desk': 'jira-servicemanagement',
  'jira-core': 'jira-work-management',
  'jira-product-discovery': 'jira-product-discovery',
  confluence: 'confluence',
  bitbucket: 'bitbucket',
};

export interface Unreadable {
  kind: 'portal-customer' | 'account' | 'request' | 'participant';
  /** The Atlassian id or request key. */
  id: string;
  name: string;
  reason: string;
}

export interface SiteRecords {
  site: SnapshotSite;
  portalCustomers: SnapshotPortalCustomer[];
  accounts: SnapshotAccount[];
  groups: SnapshotGroup[];
  requests: SnapshotRequest[];
  unreadable: Unreadable[];
}

/** Directory ids of Atlassian ids: an existing record with the same email keeps its id. */
export interface IdResolver {
  account(atlassianId: string, email: string): string;
  portalCustomer(atlassianId: string, email: string): string;
}

export const defaultAccountId = (atlassianId: string) =>
  isAccountId(atlassianId) ? atlassianId : derivedAccountId('atlassian', atlassianId);
export const defaultPortalCustomerId = (atlassianId: string) =>
  isPortalCustomerId(atlassianId) ? atlassianId : derivedPortalCustomerId('atlassian', atlassianId);

const HIDDEN_EMAIL =
  "email hidden by the person's profile visibility settings (an Admin API key, ATLASSIAN_ADMIN_API_KEY, reads managed accounts' emails)";

export function siteRecords(
  siteId: string,
  host: string,
  existing: { workspace: string; portalUrl: string } | null,
  reading: SiteReading,
  ids: IdResolver,
): SiteRecords {
  const unreadable: Unreadable[] = [];
  const site: SnapshotSite = {
    id: siteId,
    host,
    workspace: existing?.workspace ?? host.split('.')[0] ?? host,
    portalUrl: existing?.portalUrl ?? `https://${host}/servicedesk/customer/portals`,
    projects: reading.desks.map((d) => ({ key: d.projectKey, name: d.projectName })),
  };
  const directoryId = new Map<string, string>();

  const portalCustomers: SnapshotPortalCustomer[] = [];
  for (const customer of reading.customers.values()) {
    if (!customer.accountId.startsWith('qm:')) continue;
    if (!customer.email) {
      unreadable.push({
        kind: 'portal-customer',
        id: customer.accountId,
        name: customer.displayName,
        reason: HIDDEN_EMAIL,
      });
      continue;
    }
    const id = ids.portalCustomer(customer.accountId, customer.email);
    directoryId.set(customer.accountId, id);
    portalCustomers.push({
      id,
      site: siteId,
      email: customer.email,
      displayName: customer.displayName || customer.email,
      status: customer.active ? 'active' : 'inactive',
      invitedToProduct: null,
      migratedTo: null,
      migratedAt: null,
    });
  }

  const admins = new Set(reading.groups.find((g) => g.name === SITE_ADMINS_GROUP)?.members ?? []);
  const accounts: SnapshotAccount[] = [];
  for (const user of reading.users.values()) {
    const managed = reading.managed?.get(user.accountId);
    const email = user.email ?? managed?.email ?? null;
    if (!email) {
      unreadable.push({ kind: 'account', id: user.accountId, name: user.displayName, reason: HIDDEN_EMAIL });
      continue;
    }
    const id = ids.account(user.accountId, email);
    directoryId.set(user.accountId, id);
    const products = new Set(user.applicationRoles.flatMap((key) => PRODUCTS[key] ?? []));
    for (const access of managed?.product_access ?? []) {
      const product = PRODUCTS[access.key];
      if (product && access.url && new URL(access.url).host === host) products.add(product);
    }
    const status = managed?.account_status;
    accounts.push({
      id,
      email,
      displayName: user.displayName || managed?.name || email,
      emailVerified: true,
      status: status === 'closed' ? 'closed' : status === 'inactive' || !user.active ? 'inactive' : 'active',
      sites: [
        {
          site: siteId,
          siteAccess: user.active,
          products: [...products].sort(),
          roles: reading.customers.has(user.accountId) ? [CUSTOMER_ROLE] : [],
          admin: admins.has(user.accountId),
        },
      ],
    });
  }

  const groups: SnapshotGroup[] = reading.groups
    .filter((g) => g.name !== SITE_ADMINS_GROUP)
    .map((g) => ({
      site: siteId,
      name: g.name,
      roles: CUSTOMER_GROUP.test(g.name) ? [CUSTOMER_ROLE] : [],
      origin: 'default',
      review: null,
      members: g.members.flatMap((m) => directoryId.get(m) ?? []).sort(),
    }));

  const requests: SnapshotRequest[] = [];
  for (const r of reading.requests) {
    const reporter = r.reporter && directoryId.get(r.reporter.accountId);
    if (!reporter) {
      const reason =
        r.reporter?.accountType === 'app'
          ? 'reported by an app, not by a customer or an account'
          : r.reporter
            ? `its reporter ${r.reporter.accountId} could not be read`
            : 'it has no reporter';
      unreadable.push({ kind: 'request', id: r.key, name: r.key, reason });
      continue;
    }
    const participants: string[] = [];
    for (const p of r.participants) {
      const id = directoryId.get(p.accountId);
      if (id) participants.push(id);
      else
        unreadable.push({
          kind: 'participant',
          id: r.key,
          name: p.accountId,
          reason: `participant ${p.accountId} of ${r.key} could not be read`,
        });
    }
    requests.push({
      key: r.key,
      site: siteId,
      project: r.project,
      reporter,
      participants: participants.sort(),
      createdAt: formatTime(new Date(jiraTime(r.created))) as string,
    });
  }
  return { site, portalCustomers, accounts, groups, requests, unreadable };
}

/** Jira writes 2026-09-01T08:00:00.000+0000; Date.parse wants the zone with a colon. */
const jiraTime = (value: string) => value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
