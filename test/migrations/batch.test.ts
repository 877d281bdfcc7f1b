import { previewMigration } from '../../src/accounts/migration';
import { createPortalCustomer, inviteToProduct } from '../../src/accounts/portalCustomers';
import { JobCancellation } from '../../src/jobs/cancellation';
import { JOB_ENDED, type JobEndedEvent } from '../../src/jobs/finish';
import { Job, JobItem } from '../../src/jobs/models';
import { storePlans, withPlans } from '../../src/jobs/plans';
import { jobProgress } from '../../src/jobs/progress';
import { cancelJob, enqueueJob, StalePreviewError } from '../../src/jobs/queue';
import { OutboxEvent } from '../../src/outbox';
import { loadFixture, testContext, useTestDatabase } from '../support/database';
import { admin, migrate, runJobs } from '../support/jobs';

useTestDatabase('batch');
beforeEach(loadFixture);

const endedEvent = async (jobId: string) =>
  (await OutboxEvent.findById(`job:${jobId}`).lean())?.payload as unknown as JobEndedEvent;

describe('batches', () => {
  it('gives each customer its own result, and one refusal never aborts the batch', async () => {
    const emails = ['jsmith@abc.com', 'nobody@example.com', 'kpatel@example.com', 'old.customer@example.com'];
    const { job, items } = await migrate('migrate-to-account', 'acme', emails);
    expect(items.map((i) => [i.email, i.state])).toEqual([
      ['jsmith@abc.com', 'succeeded'],
      ['nobody@example.com', 'refused'],
      ['kpatel@example.com', 'succeeded'],
      ['old.customer@example.com', 'refused'],
    ]);
    expect(job).toMatchObject({ state: 'partly-succeeded', total: 4, endedAt: expect.any(Date) });
    expect(await jobProgress(job?._id as string)).toEqual({
      total: 4,
      done: 4,
      pending: 0,
      succeeded: 2,
      refused: 2,
      failed: 0,
    });
    const event = await endedEvent(job?._id as string);
    expect(event).toMatchObject({
      outcome: 'partly-succeeded',
      requestedBy: admin,
      total: 4,
      succeeded: 2,
      refused: 2,
      counts: { requestsMoved: 2, accountsCreated: 1 },
    });
    expect(event.durationMs).toBeGreaterThanOrEqual(0);
    expect(event.endedAt).toEqual(job?.endedAt);
  });

  it('selects every invited-but-not-migrated customer of a site', async () => {
    const { items } = await migrate('migrate-to-account', 'acme', { selector: 'invited-not-migrated' });
    expect(items.map((i) => [i.email, i.state])).toEqual([['alee@example.org', 'succeeded']]);
  });

  it('selects every account eligible for portal-only on a site', async () => {
    const { items } = await migrate('make-portal-only', 'acme', { selector: 'eligible-for-portal-only' });
    expect(items.map((i) => [i.email, i.state])).toEqual([['bwong@example.net', 'succeeded']]);
  });

  it('refuses a batch with nothing to do, a selector of the other direction and bad emails', async () => {
    const request = (target: object) => ({
      kind: 'make-portal-only' as const,
      site: 'acme-eu',
      target: target as never,
    });
    await expect(enqueueJob(request({ selector: 'eligible-for-portal-only' }), { requestedBy: admin })).rejects.toThrow(
      'Nothing to do: there is no account eligible for portal-only on acme-eu.',
    );
    await expect(enqueueJob(request({ selector: 'invited-not-migrated' }), { requestedBy: admin })).rejects.toThrow(
      'The selector "invited-not-migrated" does not apply to make-portal-only.',
    );
    await expect(enqueueJob(request({ emails: ['a@b.co', 'nope', 'x y'] }), { requestedBy: admin })).rejects.toThrow(
      '"nope", "x y" are not email addresses.',
    );
    expect(await Job.countDocuments()).toBe(0);
  });

  it('keeps the first stored plan of an item: a second worker planning it again gets that plan back', async () => {
    const { job } = await enqueueJob(
      { kind: 'migrate-to-account', site: 'acme', target: { emails: ['jsmith@abc.com'] } },
      { requestedBy: admin },
    );
    const [item] = await JobItem.find({ job: job._id }).lean();
    if (!item) throw new Error('the job has no item');
    expect(await storePlans(`${job._id}/0`, [{ ...item, plan: 'first' }])).toEqual([{ ...item, plan: 'first' }]);
    expect(await storePlans(`${job._id}/0`, [{ ...item, plan: 'second' }])).toEqual([{ ...item, plan: 'first' }]);
    expect(await withPlans([item])).toEqual([{ ...item, plan: 'first' }]);
  });

  it('makes one job of a repeated request with the same key', async () => {
    const request = { kind: 'migrate-to-account' as const, site: 'acme', target: { emails: ['jsmith@abc.com'] } };
    const [first, second] = await Promise.all([
      enqueueJob(request, { requestedBy: admin, key: 'view-V123' }),
      enqueueJob(request, { requestedBy: admin, key: 'view-V123' }),
    ]);
    expect(second.job._id).toBe(first.job._id);
    const third = await enqueueJob(request, { requestedBy: admin, key: 'view-V123' });
    expect(third).toMatchObject({ created: false, job: { _id: first.job._id } });
    expect(await Job.countDocuments()).toBe(1);
    expect(await JobItem.countDocuments()).toBe(1);
  });

  it('refuses a confirmation whose preview went stale, with the new preview', async () => {
    const request = {
      kind: 'migrate-to-account' as const,
      site: 'acme',
      target: { selector: 'invited-not-migrated' as const },
    };
    const seen = await previewMigration(request);
    await createPortalCustomer({ site: 'acme', email: 'new@example.com' }, testContext());
    await inviteToProduct({ site: 'acme', email: 'new@example.com', product: 'confluence' }, testContext());
    const error = await enqueueJob(request, { requestedBy: admin, expectedFingerprint: seen.fingerprint }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(StalePreviewError);
    expect(await Job.countDocuments()).toBe(0);
    const fresh = await previewMigration(request);
    expect(fresh).toMatchObject({ targets: 2, planned: 2 });
    await expect(
      enqueueJob(request, { requestedBy: admin, expectedFingerprint: fresh.fingerprint }),
    ).resolves.toMatchObject({ created: true });
  });

  it('cancels a queued batch: it ends at once, with one event, and nothing is migrated', async () => {
    const request = {
      kind: 'migrate-to-account' as const,
      site: 'acme',
      target: { emails: ['jsmith@abc.com', 'kpatel@example.com'] },
    };
    const { job } = await enqueueJob(request, { requestedBy: admin });
    const cancelled = await cancelJob(job._id, admin);
    expect(cancelled).toMatchObject({ state: 'cancelled' });
    expect(await JobCancellation.findById(job._id).lean()).toMatchObject({ by: admin });
    await runJobs();
    expect(await jobProgress(job._id)).toMatchObject({ pending: 2, done: 0 });
    expect(await endedEvent(job._id)).toMatchObject({ outcome: 'cancelled', notProcessed: 2 });
    expect(await OutboxEvent.countDocuments({ type: JOB_ENDED })).toBe(1);
    await expect(cancelJob(job._id, admin)).rejects.toThrow(
      `Job ${job._id} already ended (cancelled); there is nothing to cancel.`,
    );
  });

  it('stops a running batch after the chunk in progress when it is cancelled', async () => {
    const emails = ['jsmith@abc.com', 'kpatel@example.com', 'alee@example.org'];
    const { job } = await enqueueJob(
      { kind: 'migrate-to-account', site: 'acme', target: { emails } },
      { requestedBy: admin },
    );
    await Job.updateOne(
      { _id: job._id },
      { $set: { state: 'running', lease: { owner: 'elsewhere', until: new Date(Date.now() + 60_000) } } },
    );
    await cancelJob(job._id, admin);
    expect((await Job.findById(job._id).lean())?.state).toBe('running');
    await Job.updateOne({ _id: job._id }, { $set: { lease: null } });
    await runJobs({ chunkSize: 1 });
    expect(await endedEvent(job._id)).toMatchObject({ outcome: 'cancelled', notProcessed: 3 });
  });
});
