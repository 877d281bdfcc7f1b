import '../../src/atlassian/connectedSite';
import '../../src/jobs/models';
import '../../src/jobs/plans';
import '../../src/outbox';
import { AuditEvent } from '../../src/accounts/models';
import type { Snapshot } from '../../src/accounts/snapshot/format';
import { type AtlassianEmulator, startAtlassianEmulator } from '../support/atlassianEmulator';
import { clearDatabase, useTestDatabase } from '../support/database';
import { accounts, atlassianEnv, CREDENTIALS, comparable, example } from './support';

/**
 * `accounts connect` and `accounts sync` as operators run them (the built CLI, in child processes), against the
 * Atlassian emulator holding the example directory's two sites, on the real test database.
 */
const { dbName } = useTestDatabase('atlassian_sync');
let emulator: AtlassianEmulator;
let snapshot: Snapshot;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  snapshot = await example();
  // Pages of two make every endpoint page; Bo Wong's email is hidden on the site APIs (the Admin API has it).
  emulator = await startAtlassianEmulator(snapshot, {
    ...CREDENTIALS,
    maxPage: 2,
    hiddenEmails: ['bwong@example.net'],
  });
  env = atlassianEnv(dbName, emulator);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await clearDatabase();
  emulator.burst = null;
  emulator.calls.length = 0;
});

async function connectBoth() {
  for (const site of snapshot.sites) {
    const connected = await accounts(env, 'connect', site.id, site.host);
    expect(connected).toMatchObject({ code: 0 });
    expect(connected.stdout).toContain(`Connected ${site.id} to ${site.host}`);
  }
}

async function exported(): Promise<Snapshot> {
  const { stdout, code, stderr } = await accounts(env, 'export');
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout) as Snapshot;
}

describe('accounts connect and sync', () => {
  it('syncs both sites into a directory equal to the example, apart from the ids Atlassian assigns', async () => {
    await connectBoth();
    const synced = await accounts(env, 'sync');
    expect(synced.code).toBe(0);
    expect(synced.stdout).toMatch(
      /^Synced acme from acme\.atlassian\.net in .*: 4 portal-only customers, 6 accounts, 2 groups, 6 requests read; \d+ documents written, 0 removed\.$/m,
    );
    expect(comparable(await exported())).toEqual(comparable(snapshot));
    // Every endpoint was read page by page.
    const paths = new Set(emulator.calls.map((c) => c.path.replace(/\?.*$/, '')));
    expect(paths).toEqual(
      new Set([
        '/rest/api/3/myself',
        '/rest/servicedeskapi/servicedesk',
        '/rest/servicedeskapi/servicedesk/1/customer',
        '/rest/servicedeskapi/servicedesk/2/customer',
        '/rest/api/3/users/search',
        '/rest/api/3/user',
        '/rest/api/3/group/bulk',
        '/rest/api/3/group/member',
        '/rest/api/3/field',
        '/rest/api/3/search/jql',
        '/v1/orgs/org-acme',
        '/v1/orgs/org-acme/users',
      ]),
    );
  });

  it('writes nothing on a second sync when nothing changed', async () => {
    await connectBoth();
    await accounts(env, 'sync');
    const before = await exported();
    const audits = await AuditEvent.countDocuments({ action: 'directory.sync' });
    const again = await accounts(env, 'sync', '--site', 'acme');
    expect(again.stdout).toMatch(/^Synced acme from acme\.atlassian\.net .*; the directory already matched\.$/m);
    expect(await AuditEvent.countDocuments({ action: 'directory.sync' })).toBe(audits);
    expect(await exported()).toEqual(before);
  });

  it('completes under a burst limit, waiting out every 429, with every record', async () => {
    await connectBoth();
    emulator.burst = { requests: 8, windowMs: 1000 };
    const synced = await accounts(env, 'sync');
    expect(synced.code).toBe(0);
    expect(emulator.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
    expect(comparable(await exported())).toEqual(comparable(snapshot));
  });

  it('waits for X-RateLimit-Reset when a 429 has no Retry-After', async () => {
    await connectBoth();
    emulator.burst = { requests: 8, windowMs: 1000, withoutRetryAfter: true };
    expect((await accounts(env, 'sync', '--site', 'acme-eu')).code).toBe(0);
    expect(emulator.calls.filter((c) => c.status === 429).length).toBeGreaterThan(0);
  });
});
