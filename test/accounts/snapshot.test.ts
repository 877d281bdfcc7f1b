import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEvent, PortalCustomer, Site } from '../../src/accounts/models';
import { exportSnapshotText } from '../../src/accounts/snapshot/export';
import { loadSnapshotFile } from '../../src/accounts/snapshot/load';
import { clearDatabase, FIXTURE, testContext, useTestDatabase } from '../support/database';

useTestDatabase('snapshot');

const fixtureText = () => readFile(FIXTURE, 'utf8');

async function writeSnapshot(name: string, text: string): Promise<string> {
  const path = join(tmpdir(), `${process.pid}-${name}.json`);
  await writeFile(path, text);
  return path;
}

/** The fixture with one change applied to its parsed form. */
// biome-ignore lint/suspicious/noExplicitAny: these tests break the format on purpose, which no type allows.
async function variant(name: string, change: (snapshot: any) => void): Promise<string> {
  const snapshot = JSON.parse(await fixtureText());
  change(snapshot);
  return writeSnapshot(name, JSON.stringify(snapshot, null, 2));
}

beforeEach(clearDatabase);

describe('load then export', () => {
  it('reproduces the example directory byte for byte', async () => {
    await loadSnapshotFile(FIXTURE, testContext());
    const exported = await exportSnapshotText();
    expect(JSON.parse(exported)).toEqual(JSON.parse(await fixtureText()));
    expect(exported).toBe(await fixtureText());
  });

  it('sorts every array by its natural key, whatever order the file used', async () => {
    const shuffled = await variant('shuffled', (s) => {
      for (const key of ['sites', 'portalCustomers', 'accounts', 'groups', 'requests']) s[key].reverse();
      for (const group of s.groups) group.members.reverse();
      s.accounts[0].sites.reverse();
    });
    await loadSnapshotFile(shuffled, testContext());
    expect(await exportSnapshotText()).toBe(await fixtureText());
  });

  it('changes nothing when the same file is loaded twice', async () => {
    const first = await loadSnapshotFile(FIXTURE, testContext());
    expect(first.changed).toEqual({
      organizations: 1,
      sites: 2,
      atlassianAccounts: 7,
      accountSites: 8,
      portalCustomers: 6,
      groups: 2,
      requests: 8,
    });
    const auditAfterFirst = await AuditEvent.countDocuments();
    const second = await loadSnapshotFile(FIXTURE, testContext());
    expect(second.changed).toEqual({});
    expect(await AuditEvent.countDocuments()).toBe(auditAfterFirst);
    expect(await exportSnapshotText()).toBe(await fixtureText());
  });

  it('audits a load with the operator who ran it', async () => {
    await loadSnapshotFile(FIXTURE, testContext('dana'));
    const event = await AuditEvent.findOne({ action: 'directory.load' }).lean();
    expect(event?.actor).toEqual({ kind: 'cli', id: 'cli', name: 'dana' });
    expect(event?.target).toBe('org-acme');
  });
});

describe('a malformed snapshot', () => {
  async function expectRejected(path: string, ...fragments: RegExp[]) {
    const error = await loadSnapshotFile(path, testContext()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/nothing was written|not valid JSON/);
    for (const fragment of fragments) expect(error?.message).toMatch(fragment);
    expect(await Site.countDocuments()).toBe(0);
    expect(await PortalCustomer.countDocuments()).toBe(0);
  }

  it('names the line and column of a JSON syntax error', async () => {
    const text = (await fixtureText()).replace('"Kiran Patel",', '"Kiran Patel"');
    await expectRejected(await writeSnapshot('syntax', text), /line 43, column 7/);
  });

  it('names the line and field of a bad value', async () => {
    const path = await variant('bad-email', (s) => {
      s.portalCustomers[1].email = 'jsmith-at-abc.com';
    });
    await expectRejected(path, /line 5\d, portalCustomers\[1\]\.email: /);
  });

  it('names a missing field and an unknown one', async () => {
    const path = await variant('fields', (s) => {
      delete s.sites[0].workspace;
      s.accounts[2].emailverified = true;
    });
    await expectRejected(path, /sites\[0\]\.workspace: is missing/, /accounts\[2\].*emailverified/);
  });

  it('rejects references to things that are not in the snapshot', async () => {
    const path = await variant('references', (s) => {
      s.requests[0].reporter = '000000000000000000000000';
      s.groups[0].members.push('111111111111111111111111');
      s.portalCustomers[0].site = 'nowhere';
    });
    await expectRejected(
      path,
      /requests\[0\]\.reporter: reporter 000000000000000000000000 is not in this snapshot/,
      /groups\[0\]\.members\[2\]: account 111111111111111111111111 is not in this snapshot/,
      /portalCustomers\[0\]\.site: site "nowhere" is not in this snapshot's sites/,
    );
  });

  it('rejects records that break the invariants among themselves', async () => {
    const path = await variant('invariants', (s) => {
      s.portalCustomers[0].email = 'JSMITH@abc.com'; // same site and email as portalCustomers[1], both active
      s.accounts[1].email = 'Admin@Acme.com'; // same as accounts[0]
      s.portalCustomers[4].status = 'active'; // migrated, so must stay inactive
    });
    await expectRejected(
      path,
      /portalCustomers\[1\]\.email: a second active portal-only customer jsmith@abc.com on acme/,
      /accounts\[1\]\.email: a second open account/,
      /portalCustomers\[4\]\.status: a migrated portal-only customer must be inactive/,
    );
  });

  it('rejects a record that conflicts with what the database already holds', async () => {
    await loadSnapshotFile(FIXTURE, testContext());
    const path = await variant('conflict', (s) => {
      s.portalCustomers[0].id = 'qm:00000000-0000-4000-8000-000000000000:00000000-0000-4000-8000-000000000001';
    });
    const error = await loadSnapshotFile(path, testContext()).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /already has another active portal-only customer kpatel@example.com on acme/,
    );
    expect(await PortalCustomer.countDocuments()).toBe(6);
  });
});
