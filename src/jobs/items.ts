import { insertNew } from '../db/insertMissing';
import { type ItemState, JobItem, type JobItemDoc, JobResult, type JobResultDoc, type ResultState } from './models';

/**
 * A job's items with their results. Both are inserted and never updated (see models.ts), so an item's state is
 * read by joining the two: every read here is one equality on the job, which FerretDB serves from an index.
 */

/** An item as people and the worker read it: pending until its result is recorded. */
export interface ItemWithResult extends JobItemDoc {
  state: ItemState;
  reason: string | null;
  counts: Record<string, number> | null;
  finishedAt: Date | null;
}

const withResult = (item: JobItemDoc, result: JobResultDoc | undefined): ItemWithResult => ({
  _id: item._id,
  job: item.job,
  seq: item.seq,
  email: item.email,
  state: result?.state ?? 'pending',
  reason: result?.reason ?? null,
  counts: result?.counts ?? null,
  finishedAt: result?.finishedAt ?? null,
});

/** Records results; an item that has one already keeps it (a re-run chunk, another worker that got there first). */
export async function recordResults(results: JobResultDoc[]): Promise<void> {
  await insertNew(JobResult, results);
}

/** What became of an item, as recordResults takes it. */
export const resultOf = (
  { _id, job, seq, email }: JobItemDoc,
  outcome: Pick<JobResultDoc, 'state' | 'reason' | 'counts'>,
  finishedAt = new Date(),
): JobResultDoc => ({ _id, job, seq, email, ...outcome, finishedAt });

/** The job's items that have no result yet, in job order; only those are held in memory. */
export async function unfinishedItems(jobId: string): Promise<JobItemDoc[]> {
  const unfinished: JobItemDoc[] = [];
  for await (const { _id, job, seq, email, state } of everyItem(jobId))
    if (state === 'pending') unfinished.push({ _id, job, seq, email });
  return unfinished;
}

/** Some items of one job with their results (one read of the results between their first and last seq). */
export async function withResults(jobId: string, items: JobItemDoc[]): Promise<ItemWithResult[]> {
  if (items.length === 0) return [];
  const seqs = items.map((item) => item.seq);
  const results = await JobResult.find({
    job: jobId,
    seq: { $gte: Math.min(...seqs), $lte: Math.max(...seqs) },
  }).lean<JobResultDoc[]>();
  const byId = new Map(results.map((result) => [result._id, result]));
  return items.map((item) => withResult(item, byId.get(item._id)));
}

/** The first `n` items of a job in job order, with their results. */
export async function firstItems(jobId: string, n: number): Promise<ItemWithResult[]> {
  return withResults(jobId, await JobItem.find({ job: jobId }).sort({ seq: 1 }).limit(n).lean<JobItemDoc[]>());
}

/** The job's items whose result is one of `states`, in job order, at most `n` (default: all). */
export async function itemsIn(
  jobId: string,
  states: ItemState[],
  n = Number.POSITIVE_INFINITY,
): Promise<ItemWithResult[]> {
  if (n <= 0) return [];
  if (!states.includes('pending')) {
    const results = JobResult.find({ job: jobId, state: { $in: states as ResultState[] } }).sort({ seq: 1 });
    return (Number.isFinite(n) ? results.limit(n) : results).lean<JobResultDoc[]>();
  }
  const found: ItemWithResult[] = [];
  for await (const item of everyItem(jobId)) {
    if (states.includes(item.state)) found.push(item);
    if (found.length === n) break;
  }
  return found;
}

/**
 * Joins two streams sorted by seq: each left document with the right one of the same seq, if any. Seqs are
 * unique within a job on both sides.
 */
export async function* joinBySeq<L extends { seq: number }, R extends { seq: number }>(
  left: AsyncIterable<L>,
  right: { next(): Promise<R | null>; close(): Promise<unknown> },
): AsyncGenerator<[L, R | undefined]> {
  try {
    let next = await right.next();
    for await (const doc of left) {
      while (next && next.seq < doc.seq) next = await right.next();
      yield [doc, next?.seq === doc.seq ? next : undefined];
    }
  } finally {
    // Also when the reader stops early (a failed download): the left cursor closes with its for-await.
    await right.close();
  }
}

/** Every item of a job with its result, in job order, streamed: any size in bounded memory. */
export async function* everyItem(jobId: string): AsyncGenerator<ItemWithResult> {
  const items = JobItem.find({ job: jobId }).sort({ seq: 1 }).lean<JobItemDoc[]>().cursor({ batchSize: 1000 });
  const results = JobResult.find({ job: jobId }).sort({ seq: 1 }).lean<JobResultDoc[]>().cursor({ batchSize: 1000 });
  for await (const [item, result] of joinBySeq(items, results)) yield withResult(item, result);
}
