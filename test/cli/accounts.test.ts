import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PortalCustomer } from '../../src/accounts/models';
import { clearDatabase, FIXTURE, useTestDatabase } from '../support/database';
import { ROOT, uriFor } from '../support/processes';

/** The operator CLI as operators run it: the built `accounts` bin, in a child process, on the test database. */
const { dbName } = useTestDatabase('cli');
const run = promisify(execFile);

async function accounts(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'accounts.js'), ...args], {
      env: { ...process.env, MONGODB_URI: uriFor(dbName) },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeEach(clearDatabase);

describe('accounts CLI', () => {
  it('loads a snapshot, says when loading it again changes nothing, and exports it back', async () => {
    expect((await accounts('load', FIXTURE)).stdout).toMatch(
      /^Loaded .*: 2 sites, 6 portalCustomers, 7 accounts, 2 groups, 8 requests; 34 documents/,
    );
    expect((await accounts('load', FIXTURE)).stdout).toMatch(/^Nothing to change: the directory already matches/);
    const exported = await accounts('export');
    expect(exported.stdout).toBe(`${await readFile(FIXTURE, 'utf8')}\n`);
  });

  it('finds a customer: both of jsmith@abc.com’s profiles', async () => {
    await accounts('load', FIXTURE);
    const { stdout, code } = await accounts('find', 'jsmith@abc.com');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Portal-only on acme: Jane Smith, active, 2 requests/);
    expect(stdout).toMatch(/Atlassian account 8f6d05584ef8aa3892276658: Jane Smith, active, email verified/);
    const json = JSON.parse((await accounts('find', 'alee@example.org', '--json')).stdout);
    expect(json.warnings.map((w: { kind: string }) => w.kind)).toEqual(['invited-not-migrated', 'email-not-verified']);
  });

  it('rejects a malformed snapshot with the line at fault and exit code 2, writing nothing', async () => {
    const path = join(tmpdir(), `${process.pid}-cli-bad.json`);
    await writeFile(path, (await readFile(FIXTURE, 'utf8')).replace('"status": "inactive"', '"status": "gone"'));
    const { code, stderr } = await accounts('load', path);
    expect(code).toBe(2);
    expect(stderr).toMatch(/was not loaded \(nothing was written\):\n {2}line \d+, portalCustomers\[4\]\.status: /);
    expect(await PortalCustomer.countDocuments()).toBe(0);
  });

  it('answers a bad email and an unknown command with one line, no stack trace', async () => {
    const bad = await accounts('find', 'nope');
    expect(bad).toMatchObject({ code: 2, stderr: '"nope" is not an email address.\n' });
    const unknown = await accounts('frobnicate');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('seeds a deterministic directory: the same seed gives the same export', async () => {
    const seeded = JSON.parse((await accounts('seed', '--customers', '200', '--seed', '7')).stdout);
    expect(seeded).toMatchObject({ organization: 'org-globex', sites: ['globex', 'globex-eu', 'globex-apac'] });
    expect(Object.values(seeded.customers as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(200);
    for (const kind of ['portal-only', 'invited-not-migrated', 'migrated', 'duplicate', 'eligible-for-portal-only']) {
      expect(seeded.customers[kind]).toBeGreaterThan(0);
    }
    const first = (await accounts('export')).stdout;
    await clearDatabase();
    await accounts('seed', '--customers', '200', '--seed', '7');
    expect((await accounts('export')).stdout).toBe(first);
    // Run again (a resumed seed): it inserts what is missing, here nothing.
    await accounts('seed', '--customers', '200', '--seed', '7');
    expect((await accounts('export')).stdout).toBe(first);
    await clearDatabase();
    await accounts('seed', '--customers', '200', '--seed', '8');
    expect((await accounts('export')).stdout).not.toBe(first);
  });
});

describe('without a database', () => {
  it('exits with one sentence saying that the server in MONGODB_URI cannot be reached', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(ROOT, 'dist', 'src', 'cli', 'accounts.js'), 'find', 'a@b.co'],
      {
        env: { ...process.env, MONGODB_URI: 'mongodb://127.0.0.1:1/nothing-listens-here' },
      },
    ).catch((error: { stdout: string; stderr: string }) => error);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'The MongoDB server in MONGODB_URI cannot be reached: check that it runs and that the URI is right.\n',
    );
  });

  it('in production, starts no database of its own and names MONGODB_URI', async () => {
    const { MONGODB_URI: _, ...env } = process.env;
    const { stderr } = await run(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'accounts.js'), 'jobs'], {
      env: { ...env, NODE_ENV: 'production' },
    }).catch((error: { stdout: string; stderr: string }) => error);
    expect(stderr).toBe(
      'No MongoDB server is configured: set MONGODB_URI to the MongoDB server, for example mongodb://db.internal:27017/accounts?replicaSet=rs0.\n',
    );
  });
});
