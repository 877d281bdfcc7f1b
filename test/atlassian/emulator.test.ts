import { DomainError } from '../../src/accounts/errors';
import { atlassianClients } from '../../src/atlassian/clients';
import { retryDelayMs } from '../../src/atlassian/http';
import { SitePacer } from '../../src/atlassian/pacing';
import type { AtlassianConfig } from '../../src/config';
import { type AtlassianEmulator, startAtlassianEmulator } from '../support/atlassianEmulator';
import { CREDENTIALS, example } from './support';

/**
 * The emulator answers as Atlassian documents (shapes, paging, auth, limits), and the clients the sync uses
 * (jira.js, the Admin API client, the pacer) handle those answers: in-process, against its real HTTP server.
 */
let emulator: AtlassianEmulator;
const HOST = 'acme.atlassian.net';

beforeAll(async () => {
  emulator = await startAtlassianEmulator(await example(), { ...CREDENTIALS, maxPage: 2 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.burst = null;
  emulator.unavailable = 0;
  emulator.forbidden = [];
});

const config = (overrides: Partial<AtlassianConfig> = {}): AtlassianConfig => ({
  email: CREDENTIALS.email,
  apiToken: CREDENTIALS.apiToken,
  siteBaseUrl: emulator.siteBaseUrl,
  admin: { baseUrl: emulator.adminBaseUrl, orgId: 'org-acme', apiKey: CREDENTIALS.adminApiKey },
  syncIntervalMinutes: null,
  ...overrides,
});
const basic = `Basic ${Buffer.from(`${CREDENTIALS.email}:${CREDENTIALS.apiToken}`).toString('base64')}`;
const raw = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${emulator.url}/${HOST}${path}`, { headers: { Authorization: basic, ...headers } });

/** The fields jira.js's types declare required, present with their types, at run time too. */
function expectShape(value: unknown, required: Record<string, 'string' | 'boolean' | 'number' | 'object'>) {
  for (const [field, type] of Object.entries(required)) {
    expect({ field, type: typeof (value as Record<string, unknown>)[field] }).toEqual({ field, type });
  }
}

describe('the Atlassian emulator and the clients', () => {
  it('serves what jira.js expects, paged as documented', async () => {
    const api = atlassianClients(config(), HOST);
    const desks = await api.desk.serviceDesk.getServiceDesks({ start: 0, limit: 50 });
    expectShape(desks, { isLastPage: 'boolean', start: 'number', limit: 'number', size: 'number', values: 'object' });
    expect(desks).toMatchObject({ isLastPage: true, values: [{ projectKey: 'HELP' }, { projectKey: 'IT' }] });
    const users = await api.jira.users.getAllUsers({ startAt: 0, maxResults: 50 });
    expect(users).toHaveLength(2); // maxPage: the emulator pages whatever is asked
    for (const user of users) expectShape(user, { accountId: 'string', active: 'boolean', accountType: 'string' });
    const user = await api.jira.users.getUser({
      accountId: users[0]?.accountId ?? '',
      expand: 'groups,applicationRoles',
    });
    expectShape(user.groups, { size: 'number', items: 'object' });
    expectShape(user.applicationRoles, { size: 'number', items: 'object' });
    const groups = await api.jira.groups.bulkGetGroups({ startAt: 0, maxResults: 50 });
    expectShape(groups, { isLast: 'boolean', startAt: 'number', maxResults: 'number', values: 'object' });
    const search = await api.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
      jql: 'project = "HELP"',
      fields: ['created', 'reporter'],
      maxResults: 50,
    });
    expect(search.issues?.map((i) => i.key)).toEqual(['HELP-1', 'HELP-2']);
    expect(typeof search.nextPageToken).toBe('string');
    const next = await api.jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
      jql: 'project = "HELP"',
      fields: ['created', 'reporter'],
      nextPageToken: search.nextPageToken,
    });
    expect(next).toMatchObject({ issues: [{ key: 'HELP-3' }, { key: 'HELP-4' }] });
    expect(next.nextPageToken).toBeUndefined();
    expect(Object.keys(next.issues?.[0]?.fields ?? {}).sort()).toEqual(['created', 'reporter']);
  });

  it('answers the customers endpoint only with X-ExperimentalApi: opt-in (jira.js sends it)', async () => {
    const without = await raw('/rest/servicedeskapi/servicedesk/1/customer');
    expect(without.status).toBe(412);
    expect(JSON.stringify(await without.json())).toContain('X-ExperimentalApi: opt-in');
    const customers = await atlassianClients(config(), HOST).desk.serviceDesk.getCustomers({ serviceDeskId: '1' });
    expect(customers.values?.[0]?.accountId).toMatch(/^qm:/);
  });

  it('answers 401 to bad credentials and 403 without the permission, each as one sentence', async () => {
    const wrong = atlassianClients(config({ apiToken: 'revoked' }), HOST);
    await expect(wrong.call('the service desks', () => wrong.desk.serviceDesk.getServiceDesks())).rejects.toThrow(
      'acme.atlassian.net refused the credentials (401) when reading the service desks: check ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN (or ATLASSIAN_ADMIN_API_KEY for the Admin API).',
    );
    emulator.forbidden = [/^\/rest\/api\/3\/users\/search$/];
    const api = atlassianClients(config(), HOST);
    await expect(api.call('the users', () => api.jira.users.getAllUsers())).rejects.toThrow(
      "The token's account may not read the users on acme.atlassian.net (403: You do not have the permission to see the specified resource.).",
    );
    const badKey = atlassianClients(
      config({ admin: { baseUrl: emulator.adminBaseUrl, orgId: 'org-acme', apiKey: 'x' } }),
      HOST,
    );
    await expect(badKey.admin?.organization()).rejects.toMatchObject({ kind: 'refused' });
  });

  it('limits bursts with 429, Retry-After and X-RateLimit-* headers; the pacer waits them out', async () => {
    emulator.burst = { requests: 2, windowMs: 1000 };
    await raw('/rest/api/3/myself');
    await raw('/rest/api/3/myself');
    const limited = await raw('/rest/api/3/myself');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Date.parse(limited.headers.get('x-ratelimit-reset') ?? '')).toBeGreaterThan(Date.now() - 1000);
    const api = atlassianClients(config(), HOST);
    const me = await api.call('who the token belongs to', () => api.jira.myself.getCurrentUser());
    expect(me.emailAddress).toBe(CREDENTIALS.email);
  });

  it('tries again after a 503 with Retry-After, and gives up with a sentence after bounded retries', async () => {
    emulator.unavailable = 1;
    const api = atlassianClients(config(), HOST);
    expect((await api.call('the fields', () => api.jira.issueFields.getFields())).length).toBeGreaterThan(0);
    emulator.burst = { requests: 0, windowMs: 60_000 };
    const impatient = atlassianClients(config(), HOST, new SitePacer({ maxRetries: 2, maxWaitMs: 10 }));
    await expect(impatient.call('the fields', () => impatient.jira.issueFields.getFields())).rejects.toEqual(
      new DomainError(
        'unavailable',
        'acme.atlassian.net still answered 429 (rate limited) after 3 tries to read the fields; try again later.',
      ),
    );
  });

  it('reads X-RateLimit-Reset when a 429 has no Retry-After, and never retries a 503 without it', () => {
    const failure = (status: number, headers: Record<string, string>) => ({
      status,
      message: '',
      header: (name: string) => headers[name],
    });
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(retryDelayMs(failure(429, { 'retry-after': '3' }), now)).toBe(3000);
    expect(retryDelayMs(failure(429, { 'x-ratelimit-reset': '2026-12-01T10:00:05Z' }), now)).toBe(5000);
    expect(retryDelayMs(failure(503, {}), now)).toBeNull();
    expect(retryDelayMs(failure(503, { 'retry-after': '2' }), now)).toBe(2000);
    expect(retryDelayMs(failure(500, { 'retry-after': '2' }), now)).toBeNull();
  });
});
