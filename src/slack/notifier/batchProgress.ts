import { jobProgressMessage } from '../../../views/jobMessages';
import { Job } from '../../jobs/models';
import { jobProgress } from '../../jobs/progress';
import { log } from '../../log';
import { channelsFor } from '../subscriptions';
import { showInBatchMessage } from './batchMessages';
import type { SlackPoster } from './poster';

/**
 * The Ticker of running batches: each subscribed channel's message shows the batch's progress bar, updated in
 * place when the count of customers done changes. The summary replaces it when the job ends (jobEnded.ts).
 */
export async function showBatchProgress(poster: SlackPoster): Promise<void> {
  const batches = await Job.find({ state: 'running', total: { $gt: 1 } }).lean();
  for (const job of batches) {
    const channels = await channelsFor(job.site, 'notifications');
    if (channels.length === 0) continue;
    const progress = await jobProgress(job._id);
    const view = {
      message: jobProgressMessage(job, progress),
      shown: `${progress.done}/${progress.total}`,
      final: false,
    };
    await Promise.all(
      channels.map((channel) =>
        // Progress is best effort: a channel that fails now is shown the next tick, and the summary comes anyway.
        showInBatchMessage(poster, job._id, channel, view).catch((error: unknown) =>
          log.warn({ err: error, job: job._id, channel }, 'could not show batch progress'),
        ),
      ),
    );
  }
}
