import { setTimeout as sleep } from 'node:timers/promises';
import { AtlassianAccount, CustomerRequest, PortalCustomer } from '../../src/accounts/models';
import { CustomerClaim, claimCustomers, releaseCustomers } from '../../src/jobs/customerClaims';
import type { JobEndedEvent } from '../../src/jobs/finish';
import { ENDED_STATES, Job, type JobDoc, type JobItemDoc, JobResult } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { JobWorker } from '../../src/jobs/worker';
import { OutboxEvent } from '../../src/outbox';
import { clearDatabase, loadFixture, useTestDatabase } from '../support/database';
import { admin } from '../support/jobs';

/**
 * Two jobs that touch the same customer never interleave: alee@example.org is a duplicate on acme (an active
 * portal-only profile and an Atlassian account with access), and migrating it to the account and making it
 * portal-only are queued at the same moment, run by two workers at once. Whichever goes second plans on what
 * the first left, so every request's reporter is an active profile or account afterwards.
 */
useTestDatabase('opposite');

async function reportersNotActive(): Promise<string[]> {
  const requests = await CustomerRequest.find({ site: 'acme' }).lean();
  const bad: string[] = [];
  for (const request of requests) {
    const profile = await PortalCustomer.findById(request.reporter).lean();
    const account = profile ? null : await AtlassianAccount.findById(request.reporter).lean();
    if ((profile ?? account)?.status !== 'active') bad.push(request.key);
  }
  return bad;
}

it.each([1, 2, 3])('leaves every reporter active after opposite migrations of one duplicate (run %i)', async () => {
  await clearDatabase();
  await loadFixture();
  expect(await reportersNotActive()).toEqual([]);
  const target = { emails: ['alee@example.org'] };
  await Promise.all([
    enqueueJob({ kind: 'migrate-to-account', site: 'acme', target }, { requestedBy: admin }),
    enqueueJob({ kind: 'make-portal-only', site: 'acme', target, revokeLicences: true }, { requestedBy: admin }),
  ]);
  const workers = [1, 2].map(() => new JobWorker({ pollMs: 10, leaseMs: 10_000, maxJobs: 1 }));
  await Promise.all(workers.map((worker) => worker.runUntilIdle()));
  expect(await Job.countDocuments({ state: { $nin: ENDED_STATES } })).toBe(0);
  expect(await reportersNotActive()).toEqual([]);
  expect(await CustomerClaim.countDocuments()).toBe(0);
});

it('counts a customer it waited for: the chunk that skipped it does not count it, a later one does', async () => {
  await clearDatabase();
  await loadFixture();
  const emails = ['kpatel@example.com', 'jsmith@abc.com', 'alee@example.org'];
  const { job } = await enqueueJob(
    { kind: 'migrate-to-account', site: 'acme', target: { emails } },
    { requestedBy: admin },
  );
  // Another job holds the middle customer while the first chunk runs.
  await CustomerClaim.create({ _id: 'acme/jsmith@abc.com', job: 'jother', until: new Date(Date.now() + 60_000) });
  const worker = new JobWorker({ pollMs: 10, leaseMs: 10_000 });
  worker.start();
  try {
    while ((await JobResult.countDocuments({ job: job._id })) < 2) await sleep(20);
    expect(await JobResult.exists({ _id: `${job._id}/jsmith@abc.com` })).toBeNull();
    await CustomerClaim.deleteOne({ _id: 'acme/jsmith@abc.com' });
    while (!ENDED_STATES.includes((await Job.findById(job._id).lean())?.state ?? 'running')) await sleep(20);
  } finally {
    await worker.stop();
  }
  const event = (await OutboxEvent.findById(`job:${job._id}`).lean())?.payload as unknown as JobEndedEvent;
  expect(event).toMatchObject({ total: 3, notProcessed: 0 });
  expect(event.succeeded + event.refused + event.failed).toBe(3);
  expect(await JobResult.countDocuments({ job: job._id })).toBe(3);
});

describe('customer claims', () => {
  const job = (id: string) => ({ _id: id, site: 'acme' }) as JobDoc;
  const item = (email: string) => ({ email }) as JobItemDoc;

  it('gives a customer to one job at a time, the other waits until it is released', async () => {
    await CustomerClaim.deleteMany({});
    const [a, b] = await Promise.all([
      claimCustomers(job('ja'), [item('x@example.com'), item('y@example.com')], 10_000),
      claimCustomers(job('jb'), [item('X@example.com'), item('z@example.com')], 10_000),
    ]);
    const holdersOfX = [a, b].filter((held) => held.some((i) => i.email.toLowerCase() === 'x@example.com'));
    expect(holdersOfX).toHaveLength(1);
    expect(a.map((i) => i.email)).toContain('y@example.com');
    expect(b.map((i) => i.email)).toContain('z@example.com');
    const [winner, loser] = a.some((i) => i.email === 'x@example.com') ? ['ja', 'jb'] : ['jb', 'ja'];
    expect(await claimCustomers(job(loser), [item('x@example.com')], 10_000)).toEqual([]);
    await releaseCustomers(job(winner), [item('x@example.com')]);
    expect(await claimCustomers(job(loser), [item('x@example.com')], 10_000)).toHaveLength(1);
  });

  it('takes over the customers of a holder that crashed, once its claim has expired', async () => {
    await CustomerClaim.deleteMany({});
    expect(await claimCustomers(job('jcrashed'), [item('x@example.com')], 1)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await claimCustomers(job('jnext'), [item('x@example.com')], 10_000)).toHaveLength(1);
    expect(await CustomerClaim.findById('acme/x@example.com').lean()).toMatchObject({ job: 'jnext' });
  });
});
