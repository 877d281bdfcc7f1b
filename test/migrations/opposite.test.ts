import { AtlassianAccount, CustomerRequest, PortalCustomer } from '../../src/accounts/models';
import { CustomerClaim, claimCustomers, releaseCustomers } from '../../src/jobs/customerClaims';
import { ENDED_STATES, Job, type JobDoc, type JobItemDoc } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { JobWorker } from '../../src/jobs/worker';
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
