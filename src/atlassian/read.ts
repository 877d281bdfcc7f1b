import type { ServiceDeskModels, Version3Models } from 'jira.js';
import type { ManagedAccount } from './admin';
import type { AtlassianClients } from './clients';

/**
 * Reads everything the public APIs give about one site, page by page, into memory: service desks, their
 * customers, users with their groups and Jira product access, groups with their members, requests with reporter
 * and participants, and (with an Admin API key) the organization's managed accounts.
 */

const PAGE = 50;
const PARTICIPANTS_TYPE = 'com.atlassian.servicedesk:sd-request-participants';

export interface ReadUser {
  accountId: string;
  accountType: string;
  email: string | null;
  displayName: string;
  active: boolean;
}

export interface ReadRequest {
  key: string;
  project: string;
  created: string;
  reporter: { accountId: string; accountType: string } | null;
  participants: { accountId: string; accountType: string }[];
}

export interface SiteReading {
  desks: { id: string; projectKey: string; projectName: string }[];
  /** Every customer of any desk, by account id (portal-only ones begin qm:). */
  customers: Map<string, ReadUser>;
  /** Users of the site (Atlassian accounts), with their Jira product access and groups. */
  users: Map<string, ReadUser & { applicationRoles: string[]; groups: string[] }>;
  groups: { name: string; members: string[] }[];
  requests: ReadRequest[];
  /** Managed accounts by id; null without an Admin API key. */
  managed: Map<string, ManagedAccount> | null;
  organization: { id: string; name: string } | null;
}

/** Pages counted as they are read, for progress. */
export type OnPage = (what: string) => void;

/** Pages read in this process so far: the CLI's progress bar (the reading runs inside the job's worker). */
export const syncPages = { count: 0 };
const countPage: OnPage = () => {
  syncPages.count += 1;
};

const readUser = (u: {
  accountId?: string;
  accountType?: string;
  emailAddress?: string;
  displayName?: string;
  active?: boolean;
}): ReadUser => ({
  accountId: u.accountId ?? '',
  accountType: u.accountType ?? (u.accountId?.startsWith('qm:') ? 'customer' : 'atlassian'),
  email: u.emailAddress?.trim() || null,
  displayName: u.displayName ?? '',
  active: u.active ?? true,
});

export async function readSite(api: AtlassianClients, onPage: OnPage = countPage): Promise<SiteReading> {
  const desks = await readDesks(api, onPage);
  const customers = new Map<string, ReadUser>();
  for (const desk of desks) {
    for (let start = 0; ; ) {
      const page: ServiceDeskModels.PagedUser = await api.call(`the customers of service desk ${desk.projectKey}`, () =>
        api.desk.serviceDesk.getCustomers({ serviceDeskId: desk.id, start, limit: PAGE }),
      );
      onPage('customers');
      for (const user of page.values ?? []) if (user.accountId) customers.set(user.accountId, readUser(user));
      start += page.values?.length ?? 0;
      if (page.isLastPage !== false || !page.values?.length) break;
    }
  }

  const users = new Map<string, ReadUser & { applicationRoles: string[]; groups: string[] }>();
  for (let startAt = 0; ; ) {
    const page: Version3Models.User[] = await api.call('the users', () =>
      api.jira.users.getAllUsers({ startAt, maxResults: PAGE }),
    );
    onPage('users');
    // Portal-only customers and apps are listed too; the customers come from the service desks instead.
    for (const user of page.filter((u) => u.accountType === 'atlassian')) {
      const full: Version3Models.User = await api.call(`the groups and product access of ${user.accountId}`, () =>
        api.jira.users.getUser({ accountId: user.accountId, expand: 'groups,applicationRoles' }),
      );
      users.set(user.accountId, {
        ...readUser(full),
        applicationRoles: (full.applicationRoles?.items ?? []).flatMap((r) => (r.key ? [r.key] : [])),
        groups: (full.groups?.items ?? []).flatMap((g) => (g.name ? [g.name] : [])),
      });
    }
    if (page.length === 0) break;
    startAt += page.length;
  }

  const groups: SiteReading['groups'] = [];
  for (let startAt = 0; ; ) {
    const page: Version3Models.PageGroupDetails = await api.call('the groups', () =>
      api.jira.groups.bulkGetGroups({ startAt, maxResults: PAGE }),
    );
    onPage('groups');
    for (const group of page.values ?? []) {
      if (!group.name) continue;
      groups.push({ name: group.name, members: await readMembers(api, group, onPage) });
    }
    startAt += page.values?.length ?? 0;
    if (page.isLast !== false || !page.values?.length) break;
  }

  const requests = await readRequests(api, desks, onPage);
  const managed = api.admin ? new Map<string, ManagedAccount>() : null;
  let organization: SiteReading['organization'] = null;
  if (api.admin && managed) {
    const org = await api.admin.organization();
    organization = { id: org.data.id, name: org.data.attributes.name };
    for await (const page of api.admin.managedAccounts()) {
      onPage('managed accounts');
      for (const account of page) managed.set(account.account_id, account);
    }
  }
  return { desks, customers, users, groups, requests, managed, organization };
}

export async function readDesks(api: AtlassianClients, onPage: OnPage = () => {}): Promise<SiteReading['desks']> {
  const desks: SiteReading['desks'] = [];
  for (let start = 0; ; ) {
    const page: ServiceDeskModels.PagedServiceDesk = await api.call('the service desks', () =>
      api.desk.serviceDesk.getServiceDesks({ start, limit: PAGE }),
    );
    onPage('service desks');
    for (const desk of page.values ?? []) {
      if (desk.id && desk.projectKey)
        desks.push({ id: desk.id, projectKey: desk.projectKey, projectName: desk.projectName ?? desk.projectKey });
    }
    start += page.values?.length ?? 0;
    if (page.isLastPage !== false || !page.values?.length) return desks;
  }
}

async function readMembers(api: AtlassianClients, group: Version3Models.GroupDetails, onPage: OnPage) {
  const members: string[] = [];
  for (let startAt = 0; ; ) {
    const page: Version3Models.PageUserDetails = await api.call(`the members of group ${group.name}`, () =>
      api.jira.groups.getUsersFromGroup({
        ...(group.groupId ? { groupId: group.groupId } : { groupname: group.name }),
        includeInactiveUsers: true,
        startAt,
        maxResults: PAGE,
      }),
    );
    onPage('group members');
    for (const member of page.values ?? []) if (member.accountId) members.push(member.accountId);
    startAt += page.values?.length ?? 0;
    if (page.isLast !== false || !page.values?.length) return members;
  }
}

async function readRequests(api: AtlassianClients, desks: SiteReading['desks'], onPage: OnPage) {
  const fields: Version3Models.FieldDetails[] = await api.call('the fields', () => api.jira.issueFields.getFields());
  const participantsField = fields.find((f) => f.schema?.custom === PARTICIPANTS_TYPE)?.id;
  const wanted = ['created', 'reporter', ...(participantsField ? [participantsField] : [])];
  const requests: ReadRequest[] = [];
  for (const desk of desks) {
    let nextPageToken: string | undefined;
    do {
      const token = nextPageToken;
      const page: Version3Models.SearchAndReconcileResults = await api.call(`the requests of ${desk.projectKey}`, () =>
        api.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
          jql: `project = "${desk.projectKey}" ORDER BY key ASC`,
          fields: wanted,
          maxResults: PAGE,
          ...(token ? { nextPageToken: token } : {}),
        }),
      );
      onPage('requests');
      for (const issue of page.issues ?? []) {
        const f = (issue.fields ?? {}) as Record<string, unknown>;
        const person = (value: unknown) => {
          const p = value as { accountId?: string; accountType?: string } | null | undefined;
          return p?.accountId ? { accountId: p.accountId, accountType: p.accountType ?? 'atlassian' } : null;
        };
        requests.push({
          key: issue.key,
          project: desk.projectKey,
          created: String(f.created),
          reporter: person(f.reporter),
          participants: participantsField
            ? ((f[participantsField] as unknown[] | null) ?? []).flatMap((p) => person(p) ?? [])
            : [],
        });
      }
      nextPageToken = page.nextPageToken;
    } while (nextPageToken);
  }
  return requests;
}
