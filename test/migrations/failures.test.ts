import { setTimeout as sleep } from 'node:timers/promises';
import { JOB_ENDED, type JobEndedEvent } from '../../src/jobs/finish';
import { Job } from '../../src/jobs/models';
import { enqueueJob, requestJob } from '../../src/jobs/queue';
import { JobWorker } from '../../src/jobs/worker';
import { OutboxEvent } from '../../src/outbox';
import { loadFixture, useTestDatabase } from '../support/database';
import { admin } from '../support/jobs';

useTestDatabase('failures');

/** Runs a worker that gives up after `maxFailures` runs in a row until the job has failed (10 s at most). */
async function runUntilFailed(jobId: string, maxFailures: number): Promise<void> {
  const worker = new JobWorker({ pollMs: 10, leaseMs: 10_000, maxFailures });
  worker.start();
  try {
    for (let i = 0; i < 500 && (await Job.findById(jobId).lean())?.state !== 'failed'; i++) await sleep(20);
  } finally {
    await worker.stop();
  }
}

it('ends a job that fails the same way a few runs in a row, and tells its requester why; it does not spin', async () => {
  await loadFixture();
  // A request no handler can resolve (its target went missing): every run throws the same TypeError.
  const { job } = await requestJob(
    { kind: 'migrate-to-account', site: 'acme', target: { emails: ['jsmith@abc.com'] } },
    { requestedBy: admin },
  );
  await Job.updateOne({ _id: job._id }, { $set: { 'request.target': null } });
  await runUntilFailed(job._id, 3);
  const ended = await Job.findById(job._id).lean();
  expect(ended).toMatchObject({ state: 'failed', failure: { count: 3 } });
  const events = await OutboxEvent.find({ type: JOB_ENDED }).lean();
  expect(events).toHaveLength(1);
  const event = events[0]?.payload as unknown as JobEndedEvent;
  expect(event.requestedBy).toEqual(admin);
  expect(event.reason).toMatch(/^Failed 3 times in a row: /);
  // Ended means ended: nothing picks it up again.
  await sleep(100);
  expect((await Job.findById(job._id).lean())?.failure?.count).toBe(3);
});

it('counts the customers left when a job with items stops failing: each failed with the reason', async () => {
  await loadFixture();
  const emails = ['kpatel@example.com', 'jsmith@abc.com'];
  const { job } = await enqueueJob(
    { kind: 'migrate-to-account', site: 'acme', target: { emails } },
    { requestedBy: admin },
  );
  // Planning on a site that has gone throws the same way on every run.
  await Job.updateOne({ _id: job._id }, { $set: { 'request.site': 'gone' } });
  await runUntilFailed(job._id, 2);
  const event = (await OutboxEvent.findById(`job:${job._id}`).lean())?.payload as unknown as JobEndedEvent;
  expect(event).toMatchObject({ outcome: 'failed', total: 2, failed: 2, notProcessed: 0 });
  expect(
    event.items.map((item) => [item.email, item.state, item.reason?.startsWith('Failed 2 times in a row: ')]),
  ).toEqual(emails.map((email) => [email, 'failed', true]));
});
