import { ConnectedSite } from '../../src/atlassian/connectedSite';
import { Job } from '../../src/jobs/models';
import '../../src/jobs/plans';
import '../../src/outbox';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditEvent } from '../../src/accounts/models';
import type { Snapshot } from '../../src/accounts/snapshot/format';
import { type AtlassianEmulator, startAtlassianEmulator } from '../support/atlassianEmulator';
import { clearDatabase, useTestDatabase } from '../support/database';
import { exited, spawnAccounts } from '../support/processes';
import { accounts, atlassianEnv, CREDENTIALS, comparable, example } from './support';

/**
 * `accounts connect` and `accounts sync` as operators run them (the built CLI, in child processes), against the
 * Atlassian emulator holding the example directory's two sites, on the real test database.
 */
const { dbName } = useTestDatabase('atlassian_sync');
// Each test runs the CLI several times, a few seconds each on a busy machine.
jest.setTimeout(180_000);
let emulator: AtlassianEmulator;
let snapshot: Snapshot;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  snapshot = await example();
  // Pages of two make every endpoint page; Bo Wong's email is hidden on the site APIs (the Admin API has it).
  // HELP-9 is reported by an app: no customer to attribute it to.
  emulator = await startAtlassianEmulator(snapshot, {
    ...CREDENTIALS,
    maxPage: 2,
    hiddenEmails: ['bwong@example.net'],
    appRequests: [{ site: 'acme', key: 'HELP-9', project: 'HELP', createdAt: '2026-10-20T10:00:00Z' }],
  });
  env = atlassianEnv(dbName, emulator);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await clearDatabase();
  emulator.burst = null;
  emulator.calls.length = 0;
  emulator.delayMs = 0;
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
      /^Synced acme from acme\.atlassian\.net in .*: 4 portal-only customers, 6 accounts, 2 groups, 6 requests read; \d+ documents written, 0 removed; 1 could not be read \(request HELP-9: reported by an app, not by a customer or an account\)\.$/m,
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
        '/admin/v1/orgs/org-acme',
        '/admin/v1/orgs/org-acme/users',
      ]),
    );
  });

  it('writes nothing on a second sync when nothing changed', async () => {
    await connectBoth();
    await accounts(env, 'sync');
    const before = await exported();
    const audits = await AuditEvent.countDocuments({ action: 'directory.sync' });
    const again = await accounts(env, 'sync', '--site', 'acme');
    expect(again.stdout).toMatch(
      /^Synced acme from acme\.atlassian\.net .*; the directory already matched; 1 could not be read/m,
    );
    expect(await AuditEvent.countDocuments({ action: 'directory.sync' })).toBe(audits);
    expect((await ConnectedSite.findById('acme').lean())?.lastSync).toMatchObject({ written: 0, removed: 0 });
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

  it('resumes a sync killed halfway (SIGKILL) and ends with the same directory', async () => {
    await connectBoth();
    emulator.delayMs = 40;
    const child = spawnAccounts(['sync'], env);
    while (emulator.calls.length < 25) await sleep(20);
    child.kill('SIGKILL');
    await exited(child);
    // Killed while reading: the job is left running, its lease held by a process that is gone.
    expect(await Job.countDocuments({ kind: 'sync', state: 'running' })).toBe(1);
    emulator.delayMs = 0;
    const resumed = await accounts(env, 'sync');
    expect(resumed.code).toBe(0);
    expect(comparable(await exported())).toEqual(comparable(snapshot));
  });

  it('refuses every write on a connected site with one sentence, while reads and previews work', async () => {
    await connectBoth();
    const synced = await accounts(env, 'sync');
    const acmeJob = /Queued sync job (\w+) for acme\./.exec(synced.stderr)?.[1];
    const sentence = 'acme is connected to acme.atlassian.net and read-only here until write-back is released.\n';
    for (const args of [
      ['migrate', 'jsmith@abc.com', '--site', 'acme'],
      ['make-portal-only', 'dmurphy@xyz.com', '--site', 'acme'],
      ['batch', 'eligible-for-portal-only', '--site', 'acme'],
      ['copy', '--from', 'acme-eu', '--to', 'acme'],
    ]) {
      expect(await accounts(env, ...args)).toMatchObject({ code: 1, stderr: sentence });
    }
    const found = (await accounts(env, 'find', 'jsmith@abc.com')).stdout;
    expect(found).toMatch(/Portal-only on acme: Jane Smith, active/);
    // Which sync last saw the profile: acme's last complete one (acme-eu's entries name acme-eu's).
    expect(found).toMatch(
      new RegExp(
        `Portal-only on acme: .*\\n {4}last seen by sync job ${acmeJob} \\(read \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)\\n`,
      ),
    );
    expect(found).toMatch(/ {4}acme-eu: has access; .*; last seen by sync job \w+ \(read /);
    expect(found).toContain(
      "  ? acme is synced from acme.atlassian.net: partial where Atlassian's APIs cannot tell (email verification, invitation and migration history). Its last sync could not read 1 record (hidden emails, requests reported by apps), so request counts may be short.",
    );
    expect((await accounts(env, 'migrate', 'jsmith@abc.com', '--site', 'acme', '--preview')).code).toBe(0);
  });

  it('without an Admin API key, reports what it could not read and why, and writes the list as CSV', async () => {
    const siteOnly = atlassianEnv(dbName, emulator, false);
    expect((await accounts(siteOnly, 'connect', 'acme', 'acme.atlassian.net')).stdout).toMatch(
      /✗ organization \(Admin API\): not configured/,
    );
    const out = await mkdtemp(join(tmpdir(), 'sync-report-'));
    const synced = await accounts(siteOnly, 'sync', '--out', out);
    expect(synced.stdout).toMatch(
      /; 3 could not be read \(account Bo Wong: email hidden by the person's profile visibility settings/,
    );
    const csv = await readFile(join(out, 'SyncUnreadable.csv'), 'utf8');
    expect(csv.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(/^account,712020:[0-9a-f-]+,Bo Wong,"email hidden/),
      expect.stringMatching(/^request,HELP-9,HELP-9,"reported by an app/),
      expect.stringMatching(/^request,IT-2,IT-2,its reporter 712020:[0-9a-f-]+ could not be read/),
    ]);
  });
});
