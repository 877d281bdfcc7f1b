import type { Server } from 'node:http';
import type { ServiceDeskModels, Version3Models, Version3Parameters } from 'jira.js';
import type { Snapshot } from '../../../src/accounts/snapshot/format';
import { close, type EmulatorRequest, listen, type Reply, type Route, serve } from '../../../src/emulator/http';
import {
  type DirectoryOptions,
  type EmulatedOrganization,
  type EmulatedSite,
  emulatedOrganization,
  expandedUser,
  PARTICIPANTS_FIELD,
} from './directory';

/**
 * A local Atlassian Cloud: the site REST APIs under /{host}/rest/… and the organization Admin API under /admin,
 * with Atlassian's documented pagination (start/limit/isLastPage, startAt/maxResults/isLast, nextPageToken,
 * cursor links), auth answers (401 without valid credentials, 403 without the permission), the experimental
 * header, and a burst limit answered with 429, Retry-After and X-RateLimit-* headers.
 */

export interface AtlassianEmulatorOptions extends DirectoryOptions {
  email: string;
  apiToken: string;
  adminApiKey: string;
  /** Largest page any endpoint returns, whatever the client asks: small pages make tests page. */
  maxPage?: number;
}

export interface BurstLimit {
  /** Requests allowed per site per window; the next ones get 429. */
  requests: number;
  windowMs: number;
  /** Leave out Retry-After (clients then wait for X-RateLimit-Reset). */
  withoutRetryAfter?: boolean;
}

export interface AtlassianEmulator {
  url: string;
  siteBaseUrl: string;
  adminBaseUrl: string;
  org: EmulatedOrganization;
  /** Every request served, by path (without the host prefix) and status. */
  calls: { method: string; path: string; status: number }[];
  burst: BurstLimit | null;
  /** The next N requests get 503 with Retry-After. */
  unavailable: number;
  /** Endpoints (path patterns) down for good: every request gets 503 with Retry-After 0, so clients give up soon. */
  outages: RegExp[];
  /**
   * A partial answer: the service desk endpoints matching `path` answer their pages from `start` on empty while
   * saying more follow (isLastPage false).
   */
  partialPages: { path: RegExp; start: number } | null;
  /** Endpoints (path patterns) the token's user lacks the permission for: 403. */
  forbidden: RegExp[];
  /** Answers every request this many milliseconds late (to make a sync slow enough to kill). */
  delayMs: number;
  close(): Promise<void>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json;charset=UTF-8', ...headers },
});
const errorMessages = (status: number, message: string, headers?: Record<string, string>) =>
  json(status, { errorMessages: [message], errors: {} }, headers);

export async function startAtlassianEmulator(
  snapshot: Snapshot,
  options: AtlassianEmulatorOptions,
): Promise<AtlassianEmulator> {
  const { server, url } = await listen('127.0.0.1', 0);
  const org = emulatedOrganization(snapshot, options);
  const maxPage = options.maxPage ?? 50;
  const windows = new Map<string, { start: number; count: number }>();
  const emulator: AtlassianEmulator = {
    url,
    siteBaseUrl: `${url}/{host}`,
    adminBaseUrl: `${url}/admin`,
    org,
    calls: [],
    burst: null,
    unavailable: 0,
    outages: [],
    partialPages: null,
    forbidden: [],
    delayMs: 0,
    close: () => close(server as Server),
  };
  const basic = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`;

  /** Auth, faults and limits common to every route, then the route itself. */
  const guarded =
    (scope: 'site' | 'admin', handle: (request: EmulatorRequest, site: EmulatedSite) => Reply) =>
    async (request: EmulatorRequest): Promise<Reply> => {
      const path = request.url.pathname.replace(/^\/[^/]+/, '');
      const reply = await answer(request, path);
      emulator.calls.push({ method: request.body.length ? 'POST' : 'GET', path, status: reply.status });
      return reply;

      async function answer(req: EmulatorRequest, routePath: string): Promise<Reply> {
        if (emulator.delayMs) await new Promise((resolve) => setTimeout(resolve, emulator.delayMs));
        const key = scope === 'site' ? (req.params[0] ?? '') : 'admin';
        const site = org.sites.get(key);
        if (scope === 'site' && !site) return errorMessages(404, 'Site temporarily unavailable');
        if (emulator.unavailable > 0) {
          emulator.unavailable -= 1;
          return errorMessages(503, 'Service Unavailable', { 'Retry-After': '1' });
        }
        if (emulator.outages.some((pattern) => pattern.test(routePath))) {
          return errorMessages(503, 'Service Unavailable', { 'Retry-After': '0' });
        }
        const limited = rateLimit(key);
        if (limited) return limited;
        const auth = req.headers.authorization ?? '';
        if (scope === 'site' && auth !== basic) {
          return errorMessages(401, 'Client must be authenticated to access this resource.');
        }
        if (scope === 'admin' && auth !== `Bearer ${options.adminApiKey}`) {
          return json(401, { code: 401, message: 'Unauthorized' });
        }
        if (emulator.forbidden.some((pattern) => pattern.test(routePath))) {
          return scope === 'admin'
            ? json(403, { code: 403, message: 'Forbidden' })
            : errorMessages(403, 'You do not have the permission to see the specified resource.');
        }
        return handle(req, site as EmulatedSite);
      }
    };

  function rateLimit(key: string): Reply | null {
    const burst = emulator.burst;
    if (!burst) return null;
    const now = Date.now();
    const window = windows.get(key);
    const current = window && now - window.start < burst.windowMs ? window : { start: now, count: 0 };
    windows.set(key, current);
    current.count += 1;
    const resetAt = new Date(current.start + burst.windowMs);
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(burst.requests),
      'X-RateLimit-Remaining': String(Math.max(0, burst.requests - current.count)),
      'X-RateLimit-Reset': resetAt.toISOString(),
    };
    if (current.count <= burst.requests) return null;
    const retryAfter = String(Math.max(1, Math.ceil((resetAt.getTime() - now) / 1000)));
    return errorMessages(429, 'Rate limit exceeded.', {
      ...headers,
      ...(burst.withoutRetryAfter ? {} : { 'Retry-After': retryAfter }),
      RateLimit: 'true',
    });
  }

  const number = (request: EmulatorRequest, name: string, fallback: number) => {
    const value = Number(request.url.searchParams.get(name) ?? fallback);
    return Number.isInteger(value) && value >= 0 ? value : fallback;
  };
  const page = (request: EmulatorRequest, startName: string, limitName: string, fallback = 50) => {
    const start = number(request, startName, 0);
    return { start, limit: Math.min(number(request, limitName, fallback) || fallback, maxPage) };
  };
  const site = (path: string) => new RegExp(`^/([^/]+)${path}$`);
  /** A page of a service desk endpoint, or the partial answer partialPages asks for. */
  const deskPage = <T extends ServiceDeskModels.ServiceDesk | ServiceDeskModels.User>(
    request: EmulatorRequest,
    all: T[],
  ) => {
    const { start, limit } = page(request, 'start', 'limit');
    const partial = emulator.partialPages;
    if (partial?.path.test(request.url.pathname) && start >= partial.start) {
      return json(200, { ...startLimitPage([], { start, limit }), isLastPage: false });
    }
    return json(200, startLimitPage(all, { start, limit }));
  };

  const routes: Route[] = [
    {
      method: 'GET',
      path: site('/rest/api/3/myself'),
      handle: guarded('site', () => {
        const me: Version3Models.User = {
          accountId: '557058:emulated-token-owner',
          accountType: 'atlassian',
          active: true,
          emailAddress: options.email,
          displayName: 'Sync bot',
        };
        return json(200, me);
      }),
    },
    {
      method: 'GET',
      path: site('/rest/servicedeskapi/servicedesk'),
      handle: guarded('site', (request, s) => deskPage(request, s.desks)),
    },
    {
      method: 'GET',
      path: site('/rest/servicedeskapi/servicedesk/([^/]+)/customer'),
      handle: guarded('site', (request, s) => {
        if (request.headers['x-experimentalapi'] !== 'opt-in') {
          return errorMessages(
            412,
            "This API is experimental. Experimental APIs are not guaranteed to be stable within the preview period. You must set the header 'X-ExperimentalApi: opt-in' to opt into using this API.",
          );
        }
        const desk = s.desks.find((d) => d.id === request.params[1]);
        if (!desk) return errorMessages(404, `Service desk ${request.params[1]} does not exist.`);
        return deskPage(request, s.customers);
      }),
    },
    {
      method: 'GET',
      path: site('/rest/api/3/users/search'),
      handle: guarded('site', (request, s) => {
        const { start, limit } = page(request, 'startAt', 'maxResults');
        return json(200, s.users.slice(start, start + limit));
      }),
    },
    {
      method: 'GET',
      path: site('/rest/api/3/user'),
      handle: guarded('site', (request, s) => {
        const user = s.users.find((u) => u.accountId === request.url.searchParams.get('accountId'));
        if (!user) return errorMessages(404, 'User does not exist or you do not have permission to see it.');
        return json(200, expandedUser(org, s, user));
      }),
    },
    {
      method: 'GET',
      path: site('/rest/api/3/group/bulk'),
      handle: guarded('site', (request, s) => {
        const { start, limit } = page(request, 'startAt', 'maxResults');
        const values = s.groups.slice(start, start + limit).map((g) => g.details);
        const body: Version3Models.PageGroupDetails = {
          maxResults: limit,
          startAt: start,
          total: s.groups.length,
          isLast: start + limit >= s.groups.length,
          values,
        };
        return json(200, body);
      }),
    },
    {
      method: 'GET',
      path: site('/rest/api/3/group/member'),
      handle: guarded('site', (request, s) => {
        const id = request.url.searchParams.get('groupId');
        const name = request.url.searchParams.get('groupname');
        const group = s.groups.find((g) => g.details.groupId === id || g.details.name === name);
        if (!group) return errorMessages(404, 'The specified group does not exist.');
        const { start, limit } = page(request, 'startAt', 'maxResults');
        const members = group.members.slice(start, start + limit).map((accountId): Version3Models.UserDetails => {
          const user = s.users.find((u) => u.accountId === accountId);
          return {
            accountId,
            accountType: 'atlassian',
            active: user?.active ?? true,
            displayName: user?.displayName,
            ...(user?.emailAddress ? { emailAddress: user.emailAddress } : {}),
          };
        });
        const body: Version3Models.PageUserDetails = {
          maxResults: limit,
          startAt: start,
          total: group.members.length,
          isLast: start + limit >= group.members.length,
          values: members,
        };
        return json(200, body);
      }),
    },
    {
      method: 'GET',
      path: site('/rest/api/3/field'),
      handle: guarded('site', () => {
        const fields: Version3Models.FieldDetails[] = [
          {
            id: 'reporter',
            key: 'reporter',
            name: 'Reporter',
            custom: false,
            schema: { type: 'user', system: 'reporter' },
          },
          {
            id: 'created',
            key: 'created',
            name: 'Created',
            custom: false,
            schema: { type: 'datetime', system: 'created' },
          },
          {
            id: PARTICIPANTS_FIELD,
            key: PARTICIPANTS_FIELD,
            name: 'Request participants',
            custom: true,
            schema: {
              type: 'array',
              items: 'user',
              custom: 'com.atlassian.servicedesk:sd-request-participants',
              customId: 10026,
            },
          },
        ];
        return json(200, fields);
      }),
    },
    {
      method: 'POST',
      path: site('/rest/api/3/search/jql'),
      handle: guarded('site', (request, s) => {
        const body = JSON.parse(
          request.body.toString() || '{}',
        ) as Version3Parameters.SearchForIssuesUsingJqlEnhancedSearchPost;
        const project = /^project\s*=\s*"?([A-Z][A-Z0-9]*)"?/.exec(body.jql ?? '')?.[1];
        if (!project)
          return errorMessages(
            400,
            "The JQL query is missing a project clause the emulator understands ('project = KEY').",
          );
        const start = body.nextPageToken ? Number(Buffer.from(body.nextPageToken, 'base64url').toString()) : 0;
        const limit = Math.min(body.maxResults ?? 50, maxPage);
        const all = s.issues.filter((i) => i.project === project).map((i) => i.issue);
        const fields = new Set(body.fields ?? []);
        const issues = all.slice(start, start + limit).map((issue) => ({
          ...issue,
          fields: Object.fromEntries(
            Object.entries(issue.fields ?? {}).filter(([name]) => fields.has(name)),
          ) as Version3Models.Fields,
        }));
        const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
        const result: Version3Models.SearchAndReconcileResults = { issues, ...(next ? { nextPageToken: next } : {}) };
        return json(200, result);
      }),
    },
    {
      method: 'GET',
      path: /^\/admin\/admin\/v1\/orgs\/([^/]+)$/,
      handle: guarded('admin', (request) =>
        request.params[0] === org.id
          ? json(200, { data: { id: org.id, type: 'orgs', attributes: { name: org.name } } })
          : json(404, { code: 404, message: 'Not Found' }),
      ),
    },
    {
      method: 'GET',
      path: /^\/admin\/admin\/v1\/orgs\/([^/]+)\/users$/,
      handle: guarded('admin', (request) => {
        if (request.params[0] !== org.id) return json(404, { code: 404, message: 'Not Found' });
        const start = Number(request.url.searchParams.get('cursor') ?? 0);
        const data = org.managed.slice(start, start + maxPage);
        const next = start + maxPage < org.managed.length ? String(start + maxPage) : null;
        return json(200, { data, links: { self: String(start), next }, meta: { total: org.managed.length } });
      }),
    },
  ];
  serve(server as Server, routes);
  return emulator;
}

function startLimitPage<T extends ServiceDeskModels.ServiceDesk | ServiceDeskModels.User>(
  all: T[],
  { start, limit }: { start: number; limit: number },
) {
  const values = all.slice(start, start + limit);
  // The wire names are _links and _expands; jira.js's generated types spell them Links and Expands.
  return {
    _expands: [],
    size: values.length,
    start,
    limit,
    isLastPage: start + limit >= all.length,
    values,
    _links: {},
  };
}
