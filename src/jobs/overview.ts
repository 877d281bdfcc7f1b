import type { QueryFilter } from 'mongoose';
import { itemsIn } from './items';
import { handlerFor } from './kinds';
import { ENDED_STATES, type ItemState, Job, type JobDoc } from './models';
import { withPlans } from './plans';
import { type JobProgress, jobProgress } from './progress';
import { requireJob } from './queue';

/** What people read about jobs besides the end notification: /migration-status and App Home. */

export interface JobStatus {
  job: JobDoc;
  progress: JobProgress;
}

export interface JobOverview {
  /** Being created, queued or running; oldest first. */
  active: JobStatus[];
  /** The latest requested of those that ended, newest first. */
  ended: JobStatus[];
}

/** Running and recent jobs on some sites (null: every site), each with its progress derived from its items. */
export async function jobOverview(sites: string[] | null, limit = 10): Promise<JobOverview> {
  const onSites: QueryFilter<JobDoc> = sites ? { site: { $in: sites } } : {};
  const [active, ended] = await Promise.all([
    Job.find({ ...onSites, state: { $nin: ENDED_STATES } })
      .sort({ requestedAt: 1 })
      .limit(limit)
      .lean(),
    Job.find({ ...onSites, state: { $in: ENDED_STATES } })
      .sort({ requestedAt: -1 })
      .limit(limit)
      .lean(),
  ]);
  const withProgress = (jobs: JobDoc[]) =>
    Promise.all(jobs.map(async (job) => ({ job, progress: await jobProgress(job._id) })));
  return { active: await withProgress(active), ended: await withProgress(ended) };
}

/** One customer of a job as people read it: what became of them, and why (a refusal) or what changed (a note). */
export interface ItemResult {
  email: string;
  state: ItemState;
  reason: string | null;
  note: string | null;
}

export interface JobDetail extends JobStatus {
  /** Refused and failed customers first (they need someone's attention), then the others, in job order. */
  items: ItemResult[];
  /** Customers not in `items`. */
  more: number;
}

/** One job in detail, if it is on one of `sites` (null: any site). */
export async function jobDetail(id: string, sites: readonly string[] | null, limit = 40): Promise<JobDetail> {
  const job = await requireJob(id, sites);
  const progress = await jobProgress(job._id);
  const handler = handlerFor(job.request);
  const problems = await itemsIn(job._id, ['refused', 'failed'], limit);
  const others = await itemsIn(job._id, ['succeeded', 'pending'], limit - problems.length);
  const items = (await withPlans([...problems, ...others])).map((item) => ({
    email: item.email,
    state: item.state,
    reason: item.reason,
    note: item.state === 'succeeded' && item.plan ? handler.note(item.plan) : null,
  }));
  return { job, progress, items, more: progress.total - items.length };
}
