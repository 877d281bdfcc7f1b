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
