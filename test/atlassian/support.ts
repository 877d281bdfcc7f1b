import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Snapshot } from '../../src/accounts/snapshot/format';
import type { AtlassianEmulator } from '../support/atlassianEmulator';
import { FIXTURE } from '../support/database';
import { ROOT, uriFor } from '../support/processes';

const run = promisify(execFile);

export const CREDENTIALS = {
  email: 'sync-bot@acme.com',
  apiToken: 'ATATT3x-emulated',
  adminApiKey: 'admin-key-emulated',
};

export const example = async (): Promise<Snapshot> => JSON.parse(await readFile(FIXTURE, 'utf8')) as Snapshot;

/** The environment that points the CLI at the emulator (with or without the Admin API). */
export function atlassianEnv(dbName: string, emulator: AtlassianEmulator, admin = true): NodeJS.ProcessEnv {
  return {
    MONGODB_URI: uriFor(dbName),
    ATLASSIAN_EMAIL: CREDENTIALS.email,
    ATLASSIAN_API_TOKEN: CREDENTIALS.apiToken,
    ATLASSIAN_SITE_BASE_URL: emulator.siteBaseUrl,
    ATLASSIAN_ADMIN_BASE_URL: emulator.adminBaseUrl,
    ...(admin ? { ATLASSIAN_ORG_ID: emulator.org.id, ATLASSIAN_ADMIN_API_KEY: CREDENTIALS.adminApiKey } : {}),
    JOB_POLL_MS: '100',
    JOB_LEASE_MS: '2000',
  };
}

/** The built `accounts` CLI in a child process. */
export async function accounts(env: NodeJS.ProcessEnv, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'accounts.js'), ...args], {
      env: { ...process.env, ATLASSIAN_ORG_ID: '', ATLASSIAN_ADMIN_API_KEY: '', ...env },
      // Reports (SyncUnreadable.csv) land in a scratch directory, not in the checkout.
      cwd: tmpdir(),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * A snapshot with the ids Atlassian assigns replaced by names derived from what they identify (site and email),
 * and without the fields no public API gives (invitedToProduct, migratedTo, migratedAt, emailVerified), in
 * export order: two directories equal under it hold the same customers, accounts, groups and requests.
 */
export function comparable(snapshot: Snapshot): Snapshot {
  const name = new Map<string, string>();
  for (const p of snapshot.portalCustomers) name.set(p.id, `portal:${p.site}:${p.email}`);
  for (const a of snapshot.accounts) name.set(a.id, `account:${a.email}`);
  const of = (id: string) => name.get(id) ?? `unknown:${id}`;
  return {
    ...snapshot,
    portalCustomers: snapshot.portalCustomers
      .map((p) => ({ ...p, id: of(p.id), invitedToProduct: null, migratedTo: null, migratedAt: null }))
      .sort(byKey((p) => p.id)),
    accounts: snapshot.accounts.map((a) => ({ ...a, id: of(a.id), emailVerified: true })).sort(byKey((a) => a.id)),
    groups: snapshot.groups.map((g) => ({ ...g, members: g.members.map(of).sort() })),
    requests: snapshot.requests.map((r) => ({
      ...r,
      reporter: of(r.reporter),
      participants: r.participants.map(of).sort(),
    })),
  };
}
