import { jobProgressMessage } from '../../../views/jobMessages';
import { jobActivity, REPORTING_KINDS } from '../../jobs/activity';
import { Job } from '../../jobs/models';
import { jobProgress } from '../../jobs/progress';
import { log } from '../../log';
import { channelsFor } from '../subscriptions';
import { showInBatchMessage } from './batchMessages';
import type { SlackPoster } from './poster';

/**
 * The Ticker of running batches and syncs (keepsOneMessage): each subscribed channel's message shows the
 * batch's progress bar, or what the sync has read so far, updated in place when it changes. The summary replaces
 * it when the job ends (jobEnded.ts).
 */
export async function showBatchProgress(poster: SlackPoster): Promise<void> {
  const jobs = await Job.find({
    state: 'running',
    $or: [{ total: { $gt: 1 } }, { kind: { $in: REPORTING_KINDS } }],
  }).lean();
  for (const job of jobs) {
    const channels = await channelsFor(job.site, 'notifications');
    if (channels.length === 0) continue;
    const [progress, activity] = await Promise.all([
      jobProgress(job._id),
      REPORTING_KINDS.includes(job.kind) ? jobActivity(job._id) : null,
    ]);
    // A single item that has not said what it does yet would show only "0 of 1".
    if (job.total <= 1 && !activity) continue;
    const view = {
      message: jobProgressMessage(job, progress, activity),
      shown: activity ? `activity at ${activity.at.toISOString()}` : `${progress.done}/${progress.total}`,
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
