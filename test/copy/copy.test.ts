import { type CopyPlan, previewCopy } from '../../src/accounts/copy';
import { GROUP_REVIEW_REQUESTED } from '../../src/accounts/groupReview';
import { derivedPortalCustomerId } from '../../src/accounts/ids';
import { findByEmail } from '../../src/accounts/lookup';
import { AccountSite, AtlassianAccount, AuditEvent, Group, PortalCustomer, Site } from '../../src/accounts/models';
import { exportSnapshotText } from '../../src/accounts/snapshot/export';
import { processChunk } from '../../src/jobs/chunk';
import { describeJobEnded } from '../../src/jobs/describe';
import type { JobEndedEvent } from '../../src/jobs/finish';
import { copyHandler, copySummary, duplicatesOf } from '../../src/jobs/kinds/copy';
import { Job, JobItem, JobResult } from '../../src/jobs/models';
import { cancelJob, enqueueJob } from '../../src/jobs/queue';
import { OutboxEvent } from '../../src/outbox';
import { loadFixture, useTestDatabase } from '../support/database';
import { admin, jobItems, migrate, runJobs } from '../support/jobs';
import { copy, HEADER, makeInactiveClosedAndSwitchedOff, reportText } from './support';

useTestDatabase('copy');
beforeEach(loadFixture);

const JSMITH_ACCOUNT = '8f6d05584ef8aa3892276658';
const DMURPHY_ACCOUNT = '1e27a1c08a6a63ec24ede6a4';
const DMURPHY_EU_PORTAL = 'qm:9531985d-5d9d-49f8-9818-e811892f902b:36f675cc-81e7-4ef5-a8e2-5d940ed90475';
const OLD_ACCOUNT = '923a736994e3bf911a61dbe2';
const OLD_PORTAL = 'qm:90c192cf-d3ac-44af-8f21-ddb66cad4a26:a170b338-3926-4059-b28c-105d1fb17c23';
const KPATEL_PORTAL = 'qm:0fd630f1-f29d-4da9-953f-48f1a09f76b5:0cb1e29c-658c-4a14-95e6-0af593bd04cf';

const endedEvent = async (jobId: string) =>
  (await OutboxEvent.findById(`job:${jobId}`).lean())?.payload as unknown as JobEndedEvent;
const euRoles = async (email: string) =>
  (await findByEmail(email)).account?.sites.find((s) => s.site === 'acme-eu')?.roles;

describe('copy customers from acme to acme-eu', () => {
  it('handles every case of the table, and keeps inactive customers inactive', async () => {
    const { job, jobId, items } = await copy('acme', 'acme-eu');
    expect(job?.state).toBe('succeeded');
    expect(items.map((i) => [i.email, i.state, i.plan?.case])).toEqual([
      ['alee@example.org', 'succeeded', 'portal-only'],
      ['dmurphy@xyz.com', 'succeeded', 'duplicate'],
      ['jsmith@abc.com', 'succeeded', 'imported-group'],
      ['kpatel@example.com', 'succeeded', 'portal-only'],
      ['old.customer@example.com', 'succeeded', 'customer-role'],
    ]);

    // portal-only, no one on the destination: a portal-only copy there.
    expect(
      await PortalCustomer.findOne({ site: 'acme-eu', emailKey: 'kpatel@example.com' }, { _id: 0 }).lean(),
    ).toEqual({
      site: 'acme-eu',
      email: 'kpatel@example.com',
      emailKey: 'kpatel@example.com',
      displayName: 'Kiran Patel',
      status: 'active',
      invitedToProduct: null,
      migratedTo: null,
      migratedAt: null,
      activeKey: 'acme-eu/kpatel@example.com',
    });

    // portal-only on acme, Atlassian account on acme-eu: the run's imported group, without the Customer role.
    const group = `imported-from-acme-${jobId}`;
    expect(await Group.findById(`acme-eu/${group}`, { _id: 0 }).lean()).toEqual({
      site: 'acme-eu',
      name: group,
      roles: [],
      origin: 'imported',
      review: { state: 'pending', sourceSite: 'acme', reviewedBy: null, reviewedAt: null, reason: null },
    });
    expect((await AccountSite.findById(`${JSMITH_ACCOUNT}/acme-eu`).lean())?.groups).toEqual([group]);
    expect(await euRoles('jsmith@abc.com')).toEqual([]);
    expect(await PortalCustomer.exists({ site: 'acme-eu', emailKey: 'jsmith@abc.com' })).toBeNull();

    // Atlassian account on acme, portal-only on acme-eu: the account gets the role, and a duplicate is flagged.
    expect(await AccountSite.findById(`${DMURPHY_ACCOUNT}/acme-eu`, { _id: 0 }).lean()).toEqual({
      account: DMURPHY_ACCOUNT,
      site: 'acme-eu',
      siteAccess: true,
      products: [],
      roles: ['customer'],
      groups: [],
      admin: false,
    });
    expect((await findByEmail('dmurphy@xyz.com')).warnings.map((w) => [w.kind, 'site' in w && w.site])).toEqual([
      ['duplicate', 'acme-eu'],
    ]);

    // An account with the role whose old portal-only profile was migrated: role on acme-eu, profile stays inactive.
    expect(await euRoles('old.customer@example.com')).toEqual(['customer']);
    const oldLookup = await findByEmail('old.customer@example.com');
    expect(oldLookup.portalProfiles.map((p) => [p.site, p.status, p.migratedTo])).toEqual([
      ['acme', 'inactive', OLD_ACCOUNT],
      ['acme-eu', 'inactive', null],
    ]);
    expect(oldLookup.warnings).toEqual([]);

    // Not customers of acme (no Customer role), so not copied.
    expect(await AccountSite.exists({ site: 'acme-eu', account: '5f557203301850c5a38fd547' })).toBeNull();

    const event = await endedEvent(jobId);
    expect(event.counts).toEqual({
      copiedPortalOnly: 2,
      copiedInactive: 1,
      customerRoleGranted: 1,
      siteAccessOff: 0,
      importedToGroup: 1,
      duplicates: 1,
      alreadyOnDestination: 0,
      needsAction: 2,
    });
    expect(describeJobEnded({ ...event, durationMs: 2000 })).toBe(
      'Copied customers of acme to acme-eu in 2 seconds: 5 of 5 customers done; 2 copied as portal-only, 1 inactive profile copied as inactive, 1 given the Customer role, 1 added to an imported group to review, 1 duplicate to fix; 2 need an action (RequiresAttention.csv).',
    );
    const audit = await AuditEvent.findOne({ action: 'copy.customer', target: 'jsmith@abc.com' }).lean();
    expect(audit).toMatchObject({ actor: admin, correlationId: jobId });
    expect(audit?.summary).toBe(
      `Copied jsmith@abc.com from acme to acme-eu: added to ${group} on acme-eu, pending review.`,
    );
  });

  it('asks for a review of the imported group once, when the copy has filled it', async () => {
    const { jobId } = await copy('acme', 'acme-eu');
    const events = await OutboxEvent.find({ type: GROUP_REVIEW_REQUESTED }).lean();
    expect(events.map((e) => [e._id, e.payload])).toEqual([
      [
        `group-review-requested:acme-eu/imported-from-acme-${jobId}`,
        {
          groupId: `acme-eu/imported-from-acme-${jobId}`,
          site: 'acme-eu',
          group: `imported-from-acme-${jobId}`,
          sourceSite: 'acme',
          memberCount: 1,
          jobId,
          requestedBy: admin,
          requestedAt: expect.any(Date),
        },
      ],
    ]);
  });

  it('asks for a review of the customers a cancelled copy put in the imported group', async () => {
    const { job } = await enqueueJob({ kind: 'copy-customers', from: 'acme', to: 'acme-eu' }, { requestedBy: admin });
    const jsmith = await JobItem.find({ job: job._id, email: 'jsmith@abc.com' }).lean();
    await processChunk(job, jsmith);
    // Cancelled while a worker elsewhere runs it: that worker stops before its next chunk.
    await Job.updateOne(
      { _id: job._id },
      { $set: { state: 'running', lease: { owner: 'elsewhere', until: new Date(Date.now() + 60_000) } } },
    );
    await cancelJob(job._id, admin);
    await Job.updateOne({ _id: job._id }, { $set: { lease: null } });
    await runJobs();
    expect(await endedEvent(job._id)).toMatchObject({ outcome: 'cancelled', succeeded: 1, notProcessed: 4 });
    const review = await OutboxEvent.findOne({ type: GROUP_REVIEW_REQUESTED }).lean();
    expect(review?.payload).toMatchObject({ group: `imported-from-acme-${job._id}`, memberCount: 1, jobId: job._id });
  });

  it('writes RequiresAttention.csv with one row per customer needing an action, and a summary', async () => {
    const { jobId } = await copy('acme', 'acme-eu');
    expect(await reportText(jobId)).toBe(
      [
        HEADER,
        'dmurphy@xyz.com,Atlassian account,Portal-only,Portal-only and Atlassian account,Found duplicate accounts on destination,Upgrade portal-only account to Atlassian account',
        `jsmith@abc.com,Portal-only,Atlassian account,Atlassian account,Jane Smith has an Atlassian account on acme-eu: no Customer role there until the imported group is approved,Review group imported-from-acme-${jobId} to assign Customer role`,
        '',
      ].join('\n'),
    );
    expect(await copySummary(jobId)).toEqual({
      jobId,
      from: 'acme',
      to: 'acme-eu',
      projects: null,
      state: 'succeeded',
      total: 5,
      succeeded: 5,
      refused: 0,
      failed: 0,
      notProcessed: 0,
      counts: expect.objectContaining({ importedToGroup: 1, duplicates: 1, copiedPortalOnly: 2 }),
      importedGroup: `imported-from-acme-${jobId}`,
      requiresAttention: 2,
    });
  });

  it('changes nothing when run again: every customer is already on acme-eu', async () => {
    await copy('acme', 'acme-eu');
    const before = await exportSnapshotText();
    const { job, jobId, items } = await copy('acme', 'acme-eu');
    expect(job?.state).toBe('succeeded');
    expect(items.map((i) => i.plan?.case)).toEqual(Array(5).fill('already-on-destination'));
    expect(await exportSnapshotText()).toBe(before);
    expect(await reportText(jobId)).toBe(`${HEADER}\n`);
    expect(await Group.countDocuments({ origin: 'imported' })).toBe(1);
    expect(await OutboxEvent.countDocuments({ type: GROUP_REVIEW_REQUESTED })).toBe(1);
    expect(describeJobEnded({ ...(await endedEvent(jobId)), durationMs: 500 })).toBe(
      'Copied customers of acme to acme-eu in less than a second: 5 of 5 customers done; 5 already there.',
    );
  });

  it('ends in the same state when a job is resumed and applies its stored plans again', async () => {
    const { jobId } = await copy('acme', 'acme-eu');
    const once = await exportSnapshotText();
    await JobResult.deleteMany({ job: jobId });
    await Job.updateOne({ _id: jobId }, { $set: { state: 'running', lease: null } });
    await runJobs();
    expect(await exportSnapshotText()).toBe(once);
    expect(await OutboxEvent.countDocuments({ type: GROUP_REVIEW_REQUESTED })).toBe(1);
  });

  it('copies only the customers of the given projects', async () => {
    const { items } = await copy('acme', 'acme-eu', ['it']);
    // IT-1 was raised by old.customer's account; IT-2 by bwong, who has no Customer role on acme.
    expect(items.map((i) => [i.email, i.plan?.case])).toEqual([['old.customer@example.com', 'customer-role']]);
    expect(await PortalCustomer.exists({ site: 'acme-eu', emailKey: 'kpatel@example.com' })).toBeNull();
  });

  it('keeps an inactive account inactive, does not copy a closed one, and leaves switched-off access off', async () => {
    await makeInactiveClosedAndSwitchedOff();

    const { jobId, items } = await copy('acme', 'acme-eu');
    expect(items.map((i) => [i.email, i.plan?.case])).toEqual([
      ['alee@example.org', 'portal-only'],
      ['jsmith@abc.com', 'site-access-off'],
      ['kpatel@example.com', 'portal-only'],
      ['old.customer@example.com', 'customer-role'],
    ]);
    expect((await AtlassianAccount.findById(OLD_ACCOUNT).lean())?.status).toBe('inactive');
    expect(await AccountSite.findById(`${OLD_ACCOUNT}/acme-eu`).lean()).toMatchObject({ roles: ['customer'] });
    expect(await AccountSite.findById(`${JSMITH_ACCOUNT}/acme-eu`).lean()).toMatchObject({
      siteAccess: false,
      roles: ['customer'],
    });
    expect((await reportText(jobId)).split('\n')[1]).toBe(
      "jsmith@abc.com,Atlassian account,Atlassian account,Atlassian account,Jane Smith's Atlassian account has no site access on acme-eu,Restore access on acme-eu if the customer should use its portals",
    );
  });

  it('previews exactly what the run then does, without writing', async () => {
    const request = { kind: 'copy-customers' as const, from: 'acme', to: 'acme-eu' };
    const before = await exportSnapshotText();
    const preview = await previewCopy(request);
    expect(preview).toMatchObject({
      customers: 5,
      planned: 5,
      refused: 0,
      counts: { copiedPortalOnly: 2, copiedInactive: 1, customerRoleGranted: 1, importedToGroup: 1, duplicates: 1 },
    });
    expect(preview.attention.map((p) => [p.email, p.case])).toEqual([
      ['dmurphy@xyz.com', 'duplicate'],
      ['jsmith@abc.com', 'imported-group'],
    ]);
    expect(preview.sample.find((p) => p.email === 'kpatel@example.com')?.portalCustomer).toEqual({
      id: derivedPortalCustomerId('copy', KPATEL_PORTAL, 'acme-eu'),
      copyOf: KPATEL_PORTAL,
      status: 'active',
    });
    expect(await exportSnapshotText()).toBe(before);
    expect(await copyHandler.fingerprint(request)).toBe(preview.fingerprint);

    const { job } = await enqueueJob(request, { requestedBy: admin, expectedFingerprint: preview.fingerprint });
    await runJobs();
    const items = await jobItems<CopyPlan>(job._id);
    expect(items.filter((i) => i.plan?.case !== 'already-on-destination').map((i) => i.plan)).toEqual(preview.sample);
    expect((await PortalCustomer.findOne({ site: 'acme-eu', emailKey: 'old.customer@example.com' }).lean())?._id).toBe(
      derivedPortalCustomerId('copy', OLD_PORTAL, 'acme-eu'),
    );
  });

  it('refuses bad requests with a sentence, before writing anything', async () => {
    const request = (from: string, to: string, projects?: string[]) =>
      enqueueJob({ kind: 'copy-customers', from, to, ...(projects ? { projects } : {}) }, { requestedBy: admin });
    await expect(request('acme', 'acme')).rejects.toThrow(
      'Copy customers between two different sites: the source and the destination are both acme.',
    );
    await expect(request('acme', 'acme-us')).rejects.toThrow('There is no site "acme-us". Known sites: acme, acme-eu.');
    await expect(request('acme', 'acme-eu', ['HELP', 'SUP'])).rejects.toThrow(
      'SUP is not a project of acme; its projects are HELP, IT.',
    );
    await Site.create({
      _id: 'acme-apac',
      organization: 'org-acme',
      host: 'acme-apac.atlassian.net',
      workspace: 'acme-apac',
      portalUrl: 'https://acme-apac.atlassian.net/servicedesk/customer/portals',
      projects: [],
    });
    await expect(request('acme-apac', 'acme')).rejects.toThrow('Nothing to copy: acme-apac has no customers.');
    expect(await Job.countDocuments()).toBe(0);
  });

  it('lists the duplicates it made, and migrating them ("Fix duplicates") leaves none', async () => {
    const { jobId } = await copy('acme', 'acme-eu');
    const emails = await duplicatesOf(jobId);
    expect(emails).toEqual(['dmurphy@xyz.com']);
    const { job } = await migrate('migrate-to-account', 'acme-eu', emails);
    expect(job?.state).toBe('succeeded');
    const lookup = await findByEmail('dmurphy@xyz.com');
    expect(lookup.warnings).toEqual([]);
    expect(lookup.account?.sites.find((s) => s.site === 'acme-eu')).toMatchObject({ requestCount: 1 });
    expect((await PortalCustomer.findById(DMURPHY_EU_PORTAL).lean())?.migratedTo).toBe(DMURPHY_ACCOUNT);
  });
});
