import type { ServiceDeskModels, Version3Models } from 'jira.js';
import { DomainError } from '../accounts/errors';
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

/** What a reading reads, in the order it reads them. */
export const READING_PHASES = [
  'service desks',
  'customers',
  'users',
  'groups',
  'requests',
  'managed accounts',
] as const;
export type ReadingPhase = (typeof READING_PHASES)[number];

/** How far a reading has got, after each page: what it reads now, and how many of each it has read so far. */
export interface ReadingProgress {
  phase: ReadingPhase;
  read: { desk: number; customer: number; user: number; group: number; request: number };
}
export type OnProgress = (progress: ReadingProgress) => void;

/** Reports a page read: the phase, and the counts that changed (the others stay as they were). */
type PageRead = (phase: ReadingPhase, counts?: Partial<ReadingProgress['read']>) => void;

function pageReporter(onProgress: OnProgress): PageRead {
  const read = { desk: 0, customer: 0, user: 0, group: 0, request: 0 };
  return (phase, counts = {}) => {
    Object.assign(read, counts);
    onProgress({ phase, read: { ...read } });
  };
}

/**
 * Whether a page is the last one. A page that says more follow yet holds nothing cannot be read past (asking for
 * the next start gives it again), and taking what was read before it for the whole site would remove the records
 * of the pages never read. The reading fails instead: a sync whose reading fails writes nothing.
 */
function lastPage(api: AtlassianClients, what: string, last: boolean | undefined, values: unknown[] | undefined) {
  if (last !== false) return true;
  if (values?.length) return false;
  throw new DomainError(
    'unavailable',
    `${api.host} answered an empty page of ${what} that says more follow, so the reading is incomplete and nothing was changed; try again later.`,
  );
}

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

/** Reads the site; `onProgress` hears after every page (it may throw to stop the reading). */
export async function readSite(api: AtlassianClients, onProgress: OnProgress = () => {}): Promise<SiteReading> {
  const onPage = pageReporter(onProgress);
  const desks = await readDesks(api, onPage);
  const customers = new Map<string, ReadUser>();
  for (const desk of desks) {
    const what = `the customers of service desk ${desk.projectKey}`;
    for (let start = 0; ; ) {
      const page: ServiceDeskModels.PagedUser = await api.call(what, () =>
        api.desk.serviceDesk.getCustomers({ serviceDeskId: desk.id, start, limit: PAGE }),
      );
      for (const user of page.values ?? []) if (user.accountId) customers.set(user.accountId, readUser(user));
      onPage('customers', { customer: customers.size });
      start += page.values?.length ?? 0;
      if (lastPage(api, what, page.isLastPage, page.values)) break;
    }
  }

  const users = new Map<string, ReadUser & { applicationRoles: string[]; groups: string[] }>();
  for (let startAt = 0; ; ) {
    const page: Version3Models.User[] = await api.call('the users', () =>
      api.jira.users.getAllUsers({ startAt, maxResults: PAGE }),
    );
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
      onPage('users', { user: users.size }); // each user is a call of its own
    }
    onPage('users');
    if (page.length === 0) break;
    startAt += page.length;
  }

  const groups: SiteReading['groups'] = [];
  for (let startAt = 0; ; ) {
    const page: Version3Models.PageGroupDetails = await api.call('the groups', () =>
      api.jira.groups.bulkGetGroups({ startAt, maxResults: PAGE }),
    );
    for (const group of page.values ?? []) {
      if (!group.name) continue;
      groups.push({ name: group.name, members: await readMembers(api, group, onPage) });
      onPage('groups', { group: groups.length });
    }
    startAt += page.values?.length ?? 0;
    if (lastPage(api, 'the groups', page.isLast, page.values)) break;
  }

  const requests = await readRequests(api, desks, onPage);
  const managed = api.admin ? new Map<string, ManagedAccount>() : null;
  let organization: SiteReading['organization'] = null;
  if (api.admin && managed) {
    const org = await api.admin.organization();
    organization = { id: org.data.id, name: org.data.attributes.name };
    for await (const page of api.admin.managedAccounts()) {
      for (const account of page) managed.set(account.account_id, account);
      onPage('managed accounts');
    }
  }
  return { desks, customers, users, groups, requests, managed, organization };
}

export async function readDesks(api: AtlassianClients, onPage: PageRead = () => {}): Promise<SiteReading['desks']> {
  const desks: SiteReading['desks'] = [];
  for (let start = 0; ; ) {
    const page: ServiceDeskModels.PagedServiceDesk = await api.call('the service desks', () =>
      api.desk.serviceDesk.getServiceDesks({ start, limit: PAGE }),
    );
    for (const desk of page.values ?? []) {
      if (desk.id && desk.projectKey)
        desks.push({ id: desk.id, projectKey: desk.projectKey, projectName: desk.projectName ?? desk.projectKey });
    }
    onPage('service desks', { desk: desks.length });
    start += page.values?.length ?? 0;
    if (lastPage(api, 'the service desks', page.isLastPage, page.values)) return desks;
  }
}

async function readMembers(api: AtlassianClients, group: Version3Models.GroupDetails, onPage: PageRead) {
  const members: string[] = [];
  const what = `the members of group ${group.name}`;
  for (let startAt = 0; ; ) {
    const page: Version3Models.PageUserDetails = await api.call(what, () =>
      api.jira.groups.getUsersFromGroup({
        ...(group.groupId ? { groupId: group.groupId } : { groupname: group.name }),
        includeInactiveUsers: true,
        startAt,
        maxResults: PAGE,
      }),
    );
    for (const member of page.values ?? []) if (member.accountId) members.push(member.accountId);
    onPage('groups');
    startAt += page.values?.length ?? 0;
    if (lastPage(api, what, page.isLast, page.values)) return members;
  }
}

async function readRequests(api: AtlassianClients, desks: SiteReading['desks'], onPage: PageRead) {
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
      onPage('requests', { request: requests.length });
      nextPageToken = page.nextPageToken;
    } while (nextPageToken);
  }
  return requests;
}
