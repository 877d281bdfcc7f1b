import { JobItem } from './models';

export interface JobProgress {
  total: number;
  done: number;
  pending: number;
  succeeded: number;
  refused: number;
  failed: number;
}

/** Derived from the items in one aggregation; readable at any moment, by anyone. */
export async function jobProgress(jobId: string): Promise<JobProgress> {
  const rows = await JobItem.aggregate<{ _id: string; n: number }>([
    { $match: { job: jobId } },
    { $group: { _id: '$state', n: { $sum: 1 } } },
  ]);
  const by = Object.fromEntries(rows.map((row) => [row._id, row.n]));
  const progress = {
    pending: by.pending ?? 0,
    succeeded: by.succeeded ?? 0,
    refused: by.refused ?? 0,
    failed: by.failed ?? 0,
  };
  const done = progress.succeeded + progress.refused + progress.failed;
  return { total: done + progress.pending, done, ...progress };
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
