import { finishJob } from './finish';
import { recordResults, resultOf, unfinishedItems } from './items';
import { Job } from './models';
import { chunkHas, chunkId, jobChunks, recordChunk, seqRuns } from './progress';
import { isEnded } from './queue';

/**
 * A run of a job stopped by an error other than a lost database. The same error a few runs in a row means
 * retrying will not help: the job ends, its remaining customers failed with the error (counted as failed), and its end event tells
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
  const [unfinished, chunks] = await Promise.all([unfinishedItems(jobId), jobChunks(jobId)]);
  const finishedAt = new Date();
  await recordResults(unfinished.map((item) => resultOf(item, { state: 'failed', reason, counts: null }, finishedAt)));
  // Counted as failed in the job's tallies; an item a chunk summary counts already stays counted there.
  const uncounted = unfinished.filter((item) => !chunks.some((chunk) => chunkHas(chunk, item.seq)));
  const [first] = uncounted;
  if (first)
    await recordChunk({
      _id: chunkId(jobId, first.seq),
      job: jobId,
      seqs: seqRuns(uncounted.map((item) => item.seq)),
      succeeded: 0,
      refused: 0,
      failed: uncounted.length,
      counts: {},
    });
  await finishJob(jobId, { failed: reason });
}
