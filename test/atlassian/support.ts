import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Snapshot } from '../../src/accounts/snapshot/format';
import type { AtlassianConfig } from '../../src/config';
import {
  type AtlassianEmulator,
  type AtlassianEmulatorOptions,
  startAtlassianEmulator,
} from '../support/atlassianEmulator';
import { FIXTURE } from '../support/database';
import { ROOT, uriFor } from '../support/processes';

const run = promisify(execFile);

export const CREDENTIALS = {
  email: 'sync-bot@acme.com',
  apiToken: 'ATATT3x-emulated',
  adminApiKey: 'admin-key-emulated',
};

export const example = async (): Promise<Snapshot> => JSON.parse(await readFile(FIXTURE, 'utf8')) as Snapshot;

/** The Atlassian settings that point syncs at the emulator (with or without the Admin API). */
export function atlassianSettings(emulator: AtlassianEmulator, admin = true): Record<string, string> {
  return {
    ATLASSIAN_EMAIL: CREDENTIALS.email,
    ATLASSIAN_API_TOKEN: CREDENTIALS.apiToken,
    ATLASSIAN_SITE_BASE_URL: emulator.siteBaseUrl,
    ATLASSIAN_ADMIN_BASE_URL: emulator.adminBaseUrl,
    ...(admin ? { ATLASSIAN_ORG_ID: emulator.org.id, ATLASSIAN_ADMIN_API_KEY: CREDENTIALS.adminApiKey } : {}),
  };
}

/**
 * The emulator holding the example directory's two sites, for a test file whose syncs run in this process (the
 * bot's workers, a JobWorker): they read the Atlassian settings from the environment, as in production, so
 * those are set while the file runs.
 */
export function useAtlassianEmulator(options: Partial<AtlassianEmulatorOptions> = {}): () => AtlassianEmulator {
  let emulator: AtlassianEmulator | undefined;
  let names: string[] = [];
  beforeAll(async () => {
    emulator = await startAtlassianEmulator(await example(), { ...CREDENTIALS, ...options });
    const settings = atlassianSettings(emulator);
    names = Object.keys(settings);
    Object.assign(process.env, settings);
  });
  afterAll(async () => {
    for (const name of names) delete process.env[name];
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error('the Atlassian emulator is not started yet');
    return emulator;
  };
}

/** The environment that points the CLI at the emulator (with or without the Admin API). */
export function atlassianEnv(dbName: string, emulator: AtlassianEmulator, admin = true): NodeJS.ProcessEnv {
  return {
    MONGODB_URI: uriFor(dbName),
    ...atlassianSettings(emulator, admin),
    JOB_POLL_MS: '100',
    JOB_LEASE_MS: '2000',
  };
}

/** The site APIs' and Admin API's settings as a config, for calls made in the test itself (connectSite). */
export const emulatorConfig = (emulator: AtlassianEmulator, admin = true): AtlassianConfig => ({
  email: CREDENTIALS.email,
  apiToken: CREDENTIALS.apiToken,
  siteBaseUrl: emulator.siteBaseUrl,
  admin: admin ? { baseUrl: emulator.adminBaseUrl, orgId: emulator.org.id, apiKey: CREDENTIALS.adminApiKey } : null,
  syncIntervalMinutes: null,
});

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
