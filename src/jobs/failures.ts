import { finishJob } from './finish';
import { Job, JobItem } from './models';
import { isEnded } from './queue';

/**
 * A run of a job stopped by an error other than a lost database. The same error a few runs in a row means
 * retrying will not help: the job ends, its remaining customers failed with the error, and its end event tells
 * the requester. A different error starts the count again.
 */
export async function recordFailure(jobId: string, error: unknown, maxFailures: number): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const job = await Job.findById(jobId, { state: 1, failure: 1 }).lean();
  if (!job || isEnded(job)) return;
  const count = job.failure?.message === message ? job.failure.count + 1 : 1;
  await Job.updateOne({ _id: jobId }, { $set: { failure: { message, count } } });
  if (count < maxFailures) return;
  const reason = `Failed ${count} times in a row: ${message}`;
  await JobItem.updateMany(
    { job: jobId, state: 'pending' },
    { $set: { state: 'failed', reason, finishedAt: new Date() } },
  );
  await finishJob(jobId, { failed: reason });
}
