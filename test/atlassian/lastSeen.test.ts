import { findByEmail } from '../../src/accounts/lookup';
import { AccountSite, CustomerRequest, PortalCustomer } from '../../src/accounts/models';
import { seedDirectory } from '../../src/accounts/seed';
import { loadSnapshotFile } from '../../src/accounts/snapshot/load';
import { connectSite } from '../../src/atlassian/connect';
import { ConnectedSite } from '../../src/atlassian/connectedSite';
import { describeJobEnded } from '../../src/jobs/describe';
import type { JobEndedEvent } from '../../src/jobs/finish';
import { enqueueJob } from '../../src/jobs/queue';
import { OutboxEvent } from '../../src/outbox';
import type { AtlassianEmulator } from '../support/atlassianEmulator';
import { FIXTURE, loadFixture, testContext, useTestDatabase } from '../support/database';
import { admin, runJobs } from '../support/jobs';
import { emulatorConfig, useAtlassianEmulator } from './support';

/**
 * Records carry which sync last saw them: every record of a connected site was seen by the site's last complete
 * sync, which lookups name. A sync whose reading is incomplete removes nothing and is not the last complete sync.
 */
useTestDatabase('atlassian_last_seen');
jest.setTimeout(60_000);
// Pages of two: partial pages have pages to leave out.
const atlassian = useAtlassianEmulator({ maxPage: 2 });
let emulator: AtlassianEmulator;

beforeEach(async () => {
  emulator = atlassian();
  emulator.outages = [];
  emulator.partialPages = null;
  await loadFixture();
  await connectSite('acme', 'acme.atlassian.net', testContext(), emulatorConfig(emulator));
});

/** Runs a sync of acme to its end; returns its job id and the sentence of its end. */
async function syncAcme(): Promise<{ job: string; ended: string }> {
  const { job } = await enqueueJob({ kind: 'sync', site: 'acme' }, { requestedBy: admin });
  await runJobs();
  const event = (await OutboxEvent.findById(`job:${job._id}`).lean())?.payload as unknown as JobEndedEvent;
  return { job: job._id, ended: describeJobEnded(event) };
}

const lastSync = async () => (await ConnectedSite.findById('acme').lean())?.lastSync;

it('names, for each record of a connected site, the sync that last saw it', async () => {
  // Connected, not synced yet: the records are the directory's own.
  const before = await findByEmail('jsmith@abc.com');
  expect(before.portalProfiles.map((p) => [p.site, p.seenBy])).toEqual([['acme', null]]);

  const first = await syncAcme();
  expect(first.ended).toMatch(/^Synced acme from acme\.atlassian\.net/);
  const synced = await lastSync();
  const lookup = await findByEmail('jsmith@abc.com');
  expect(lookup.portalProfiles.map((p) => [p.site, p.seenBy])).toEqual([
    ['acme', { job: first.job, readAt: synced?.readAt }],
  ]);
  // jsmith's account is on acme-eu only, which is not connected: no sync to name.
  expect(lookup.account?.sites.map((s) => [s.site, s.seenBy])).toEqual([['acme-eu', undefined]]);
  const agent = await findByEmail('agent1@acme.com');
  expect(agent.account?.sites.map((s) => [s.site, s.seenBy?.job])).toEqual([['acme', first.job]]);

  // A second sync with nothing changed writes no record, yet every record was seen by it: the lookup says so.
  const records = await PortalCustomer.find({ site: 'acme' }).sort({ _id: 1 }).lean();
  const second = await syncAcme();
  expect(second.ended).toMatch(/the directory already matched/);
  expect(await PortalCustomer.find({ site: 'acme' }).sort({ _id: 1 }).lean()).toEqual(records);
  expect((await findByEmail('jsmith@abc.com')).portalProfiles[0]?.seenBy?.job).toBe(second.job);
});

it('removes nothing and keeps lastSync after an incomplete reading: an endpoint down, or a partial page', async () => {
  const first = await syncAcme();
  const synced = await lastSync();
  // Atlassian no longer has one of acme's requests, nor Kiran Patel's portal-only profile.
  const site = emulator.org.sites.get('acme.atlassian.net');
  if (!site) throw new Error('the example has acme');
  const gone = site.issues.shift();
  const kiran = site.customers.findIndex((c) => c.emailAddress === 'kpatel@example.com');
  const [kiranProfile] = site.customers.splice(kiran, 1);
  const kept = async () => ({
    request: await CustomerRequest.exists({ key: gone?.issue.key }),
    kiran: await PortalCustomer.exists({ site: 'acme', email: 'kpatel@example.com' }),
    lastSync: await lastSync(),
  });
  try {
    const before = await kept();
    expect(before.request && before.kiran).toBeTruthy();

    // The request search is down for good: the pacer gives up after its retries.
    emulator.outages = [/\/rest\/api\/3\/search\/jql$/];
    const down = await syncAcme();
    expect(down.ended).toBe(
      'Could not sync acme from acme.atlassian.net: acme.atlassian.net still answered 503 (unavailable) after 7 tries to read the requests of HELP; try again later.',
    );
    expect(await kept()).toEqual(before);

    // The customers' pages after the first answer empty while saying more follow.
    emulator.outages = [];
    emulator.partialPages = { path: /\/customer$/, start: 2 };
    const partial = await syncAcme();
    expect(partial.ended).toBe(
      'Could not sync acme from acme.atlassian.net: acme.atlassian.net answered an empty page of the customers of service desk HELP that says more follow, so the reading is incomplete and nothing was changed; try again later.',
    );
    expect(await kept()).toEqual(before);
    expect((await findByEmail('jsmith@abc.com')).portalProfiles[0]?.seenBy).toEqual({
      job: first.job,
      readAt: synced?.readAt,
    });

    // A complete reading no longer sees them: they go, and it is the last complete sync.
    emulator.partialPages = null;
    const complete = await syncAcme();
    expect(complete.ended).toMatch(/^Synced acme .*; \d+ documents? written, 2 removed/);
    const after = await kept();
    expect(after.request).toBeFalsy();
    expect(after.kiran).toBeFalsy();
    expect(after.lastSync?.job).toBe(complete.job);
    expect(await AccountSite.exists({ site: 'acme' })).toBeTruthy();
  } finally {
    // The emulated site as the other tests expect it.
    if (kiranProfile) site.customers.splice(kiran, 0, kiranProfile);
    if (gone) site.issues.unshift(gone);
  }
});

it("refuses a snapshot load or a seed that holds a connected site's records, writing nothing", async () => {
  // Changed since the fixture was loaded: a load would put the fixture's name back.
  await PortalCustomer.updateOne({ site: 'acme', emailKey: 'jsmith@abc.com' }, { $set: { displayName: 'J. Smith' } });
  const sentence =
    'acme is connected to acme.atlassian.net and read-only here until write-back is released. Nothing was written.';
  await expect(loadSnapshotFile(FIXTURE, testContext())).rejects.toThrow(sentence);
  expect((await PortalCustomer.findOne({ site: 'acme', emailKey: 'jsmith@abc.com' }).lean())?.displayName).toBe(
    'J. Smith',
  );

  await ConnectedSite.create({
    _id: 'globex',
    host: 'globex.atlassian.net',
    connectedAt: new Date(),
    connectedBy: admin,
  });
  await expect(seedDirectory({ customers: 10 })).rejects.toThrow('globex is connected to globex.atlassian.net');
  expect(await PortalCustomer.countDocuments({ site: 'globex' })).toBe(0);
});
