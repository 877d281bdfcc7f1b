import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { recordAudit } from '../../src/accounts/audit';
import { AuditEvent } from '../../src/accounts/models';
import { clearDatabase, loadFixture, testContext, useTestDatabase } from '../support/database';
import { ROOT, uriFor } from '../support/processes';

/** `accounts audit`: the built bin in a child process, streaming the test database's audit events. */
const { dbName } = useTestDatabase('cli_audit');
const run = promisify(execFile);

async function audit(...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(ROOT, 'dist', 'src', 'cli', 'accounts.js'), 'audit', ...args],
      { env: { ...process.env, MONGODB_URI: uriFor(dbName) }, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const MANY = 1500;

beforeAll(async () => {
  await clearDatabase();
  await loadFixture();
  // An event from long ago, and many recent ones on acme: more than one cursor batch.
  await AuditEvent.collection.insertOne({
    at: new Date('2020-01-02T03:04:05Z'),
    actor: { kind: 'cli', id: 'cli', name: 'old' },
    action: 'site-access.on',
    target: 'old@example.com',
    site: 'acme',
    summary: 'long ago',
    correlationId: 'old',
    changes: null,
  });
  const context = testContext('-2+3');
  const entries = Array.from({ length: MANY }, (_, i) => ({
    action: 'site-access.off',
    target: `c${i}@example.com`,
    site: 'acme',
    summary: i === 0 ? '=1+1' : `turned off ${i}`,
  }));
  await recordAudit(context, ...entries);
  await recordAudit(testContext(), {
    action: 'site-access.off',
    target: 'x@example.es',
    site: 'acme-eu',
    summary: 'eu',
  });
});

describe('accounts audit', () => {
  it('streams every event as JSON lines, oldest first', async () => {
    const { code, stdout } = await audit();
    expect(code).toBe(0);
    const events = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength((await AuditEvent.countDocuments()) as number);
    expect(events[0]).toMatchObject({ summary: 'long ago', site: 'acme', at: '2020-01-02T03:04:05.000Z' });
    const times = events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events.some((e) => e.action === 'directory.load' && e.site === null)).toBe(true);
  });

  it('filters by site and date, and writes CSV with formulas neutralized', async () => {
    const { code, stdout } = await audit('--since', '2025-01-01', '--site', 'acme', '--format', 'csv');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      '\uFEFFAt (UTC),Actor kind,Actor id,Actor name,Action,Site,Target,Summary,Correlation id,Changes (JSON)',
    );
    expect(lines).toHaveLength(1 + MANY);
    expect(lines[1]).toMatch(/^[^,]+,cli,cli,'-2\+3,site-access\.off,acme,c0@example\.com,'=1\+1,/);
    expect(stdout).not.toMatch(/long ago|acme-eu/);
  });

  it('answers a bad date, a bad format and an unknown site in one line', async () => {
    const date = await audit('--since', 'yesterday');
    expect(date.code).not.toBe(0);
    expect(date.stderr).toMatch(/--since <date>' argument 'yesterday' is invalid\. must be a date such as 2026-12-01/);
    const format = await audit('--format', 'xml');
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/Allowed choices are jsonl, csv/);
    const site = await audit('--site', 'nowhere');
    expect(site).toMatchObject({ code: 1, stdout: '' });
    expect(site.stderr).toBe('There is no site "nowhere". Known sites: acme, acme-eu.\n');
  });
});
