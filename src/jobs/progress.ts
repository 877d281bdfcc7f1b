import { model, Schema } from 'mongoose';
import { isDuplicateKeyError } from '../db/errors';
import { Job } from './models';

/**
 * What one applied chunk of a job did, written once when the chunk is applied, before its items' results: a
 * job's progress and its counts are the sum of its chunks, a few hundred documents whatever the job's size,
 * rather than an aggregation over every item (which on FerretDB v1 reads all of them). Keyed by the chunk's
 * first item and listing exactly its items, so a chunk re-run after a crash finds its summary and never counts
 * twice, and items it skipped (held by another job, see customerClaims.ts) are summarised by a later chunk.
 */
export interface SeqRun {
  first: number;
  last: number;
}

export interface JobChunkDoc {
  _id: string; // <job id>/<seq of the chunk's first item>
  job: string;
  /** The chunk's items, as runs of consecutive seqs: a re-run of any of them belongs to this chunk. */
  seqs: SeqRun[];
  succeeded: number;
  refused: number;
  failed: number;
  /** Each succeeded item's counts, summed. */
  counts: Record<string, number>;
}

const chunkSchema = new Schema<JobChunkDoc>(
  {
    _id: String,
    job: { type: String, required: true },
    seqs: { type: [new Schema<SeqRun>({ first: Number, last: Number }, { _id: false })], required: true },
    succeeded: { type: Number, required: true },
    refused: { type: Number, required: true },
    failed: { type: Number, required: true },
    counts: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);
chunkSchema.index({ job: 1 });

export const JobChunk = model<JobChunkDoc>('JobChunk', chunkSchema, 'jobChunks');

export const chunkId = (job: string, first: number) => `${job}/${first}`;

/** Ascending seqs as runs of consecutive ones (objects: FerretDB v1 stores no nested arrays); a chunk is usually one run. */
export function seqRuns(seqs: readonly number[]): SeqRun[] {
  const runs: SeqRun[] = [];
  for (const seq of seqs) {
    const run = runs[runs.length - 1];
    if (run && run.last + 1 === seq) run.last = seq;
    else runs.push({ first: seq, last: seq });
  }
  return runs;
}

export const chunkHas = (chunk: JobChunkDoc, seq: number) =>
  chunk.seqs.some((run) => run.first <= seq && seq <= run.last);

/** Records a chunk's summary; the first one recorded for the chunk stays. */
export async function recordChunk(summary: JobChunkDoc): Promise<void> {
  try {
    await JobChunk.collection.insertOne(summary as never);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** The summaries of a job's chunks so far (one equality query). */
export const jobChunks = (jobId: string) => JobChunk.find({ job: jobId }).lean<JobChunkDoc[]>();

export interface JobProgress {
  total: number;
  done: number;
  pending: number;
  succeeded: number;
  refused: number;
  failed: number;
}

/** A job's progress and its succeeded items' counts, from its chunk summaries; readable at any moment. */
export async function jobProgressAndCounts(
  jobId: string,
): Promise<{ progress: JobProgress; counts: Record<string, number> }> {
  const [job, chunks] = await Promise.all([Job.findById(jobId, { total: 1 }).lean(), jobChunks(jobId)]);
  const counts: Record<string, number> = {};
  let succeeded = 0;
  let refused = 0;
  let failed = 0;
  for (const chunk of chunks) {
    succeeded += chunk.succeeded;
    refused += chunk.refused;
    failed += chunk.failed;
    for (const [name, n] of Object.entries(chunk.counts ?? {})) counts[name] = (counts[name] ?? 0) + n;
  }
  const done = succeeded + refused + failed;
  const total = Math.max(job?.total ?? 0, done);
  return { progress: { total, done, pending: total - done, succeeded, refused, failed }, counts };
}

export async function jobProgress(jobId: string): Promise<JobProgress> {
  return (await jobProgressAndCounts(jobId)).progress;
}

/** A job's item tallies as its end reports them: the items still pending when it ended were not processed. */
export interface ItemTallies {
  total: number;
  succeeded: number;
  refused: number;
  failed: number;
  /** Items a cancellation left undone. */
  notProcessed: number;
}

export const itemTallies = ({ total, succeeded, refused, failed, pending }: JobProgress): ItemTallies => ({
  total,
  succeeded,
  refused,
  failed,
  notProcessed: pending,
});
