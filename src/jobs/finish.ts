import type { Actor } from '../accounts/models';
import { countJobEnd } from '../metrics';
import { publishOnce } from '../outbox';
import { firstItems } from './items';
import { handlerFor, type JobKind } from './kinds';
import { Job, type JobOutcome } from './models';
import { withPlans } from './plans';
import { type ItemTallies, itemTallies, jobProgressAndCounts } from './progress';

export const JOB_ENDED = 'job.ended';

export const STALE_REASON =
  'The directory changed between the preview and the confirmation, so nothing was changed; review the new preview and confirm it again.';

/** The outbox event of a job's end: everything a notification needs, so the notifier reads nothing else. */
export interface JobEndedEvent extends ItemTallies {
  jobId: string;
  kind: JobKind;
  site: string;
  description: string;
  requestedBy: Actor;
  outcome: JobOutcome;
  /** Why the job ended without running its customers (a stale preview, nothing to do, a repeated failure). */
  reason: string | null;
  /** Each succeeded item's counts, summed (requestsMoved, accountsCreated, …). */
  counts: Record<string, number>;
  /** The first items, for messages about one or a few customers. */
  items: { email: string; state: string; reason: string | null; note: string | null; counts: Record<string, number> }[];
  startedAt: Date | null;
  endedAt: Date;
  durationMs: number;
}

const ITEMS_IN_EVENT = 10;

/**
 * How a job ends: it ran its customers, was cancelled, found its preview stale before changing anything, or
 * failed as a whole (with the sentence why).
 */
export type JobEnd = 'ran' | 'cancelled' | 'stale' | { failed: string };

/**
 * Ends a job: exactly once, however many workers (or a cancelling admin) get here. The outbox event's unique
 * id decides; the job document then copies the event's outcome and end time, so both always agree.
 */
export async function finishJob(jobId: string, end: JobEnd = 'ran'): Promise<JobEndedEvent> {
  const job = await Job.findById(jobId).lean();
  if (!job) throw new Error(`job ${jobId} vanished`);
  const { progress, counts } = await jobProgressAndCounts(jobId);
  const handler = handlerFor(job.request);
  const first = await withPlans(await firstItems(jobId, ITEMS_IN_EVENT));
  const endedAt = new Date();
  const outcome: JobOutcome =
    end === 'cancelled' || end === 'stale'
      ? end
      : progress.succeeded === 0
        ? 'failed'
        : progress.succeeded === progress.total
          ? 'succeeded'
          : 'partly-succeeded';
  const payload: JobEndedEvent = {
    jobId,
    kind: job.kind,
    site: job.site,
    description: job.description,
    requestedBy: job.requestedBy,
    outcome,
    reason: typeof end === 'object' ? end.failed : end === 'stale' ? STALE_REASON : null,
    ...itemTallies(progress),
    counts,
    items: first.map((item) => ({
      email: item.email,
      state: item.state,
      reason: item.reason,
      note: item.plan === null ? null : handler.note(item.plan),
      counts: item.counts ?? {},
    })),
    startedAt: job.startedAt,
    endedAt,
    durationMs: endedAt.getTime() - (job.startedAt ?? job.requestedAt).getTime(),
  };
  const event = await publishOnce(`job:${jobId}`, JOB_ENDED, payload);
  if (event.payload === payload) countJobEnd(payload); // this call recorded the end: count it here, once
  await Job.updateOne(
    { _id: jobId },
    { $set: { state: event.payload.outcome, endedAt: event.payload.endedAt, lease: null } },
  );
  return event.payload;
}
