import type { Readable } from 'node:stream';
import {
  addCopyCounts,
  applyCopy,
  attentionRows,
  type CopyCounts,
  type CopyPlan,
  type CopyRequest,
  copyCounts,
  copyNote,
  copyPlanner,
  copyTargets,
  emptyCopyCounts,
  importedGroupName,
  previewCopy,
  requiresAttentionCsv,
} from '../../accounts/copy';
import { emailKey } from '../../accounts/email';
import { invalid, notFound } from '../../accounts/errors';
import { requestGroupReview } from '../../accounts/groupReview';
import { requireWritableSite } from '../../accounts/sites';
import type { JobHandler } from '../handler';
import { itemsIn } from '../items';
import { Job, type JobDoc, type JobState } from '../models';
import { JobPlan, plannedItems } from '../plans';
import { type ItemTallies, itemTallies, jobProgressAndCounts } from '../progress';

/** Copying customers between sites (DOMAIN.md operation 9) as a job on the destination site. */
export const copyHandler: JobHandler<CopyRequest, CopyPlan> = {
  site: (request) => request.to,
  describe: (request) => `customers of ${request.from}${request.projects ? ` in ${request.projects.join(', ')}` : ''}`,
  targets: async (request) => {
    await requireWritableSite(request.to);
    return copyTargets(request);
  },
  fingerprint: async (request) => (await previewCopy(request)).fingerprint,
  // A site connected to Atlassian since the job was queued is read-only: its copy is refused at planning too.
  planner: async (request, stream) => {
    await requireWritableSite(request.to);
    return copyPlanner(request, stream);
  },
  apply: async (_request, plans, context) => {
    const failures = await applyCopy(plans, context);
    return new Map([...failures].map(([email, reason]) => [emailKey(email), reason]));
  },
  // The imported group has all the members it will get, so the approvers are asked once (publishOnce), with its
  // final count; a cancelled copy's customers in the group need the decision too.
  beforeEnd: (request, context) =>
    requestGroupReview(request.to, importedGroupName(request.from, context.correlationId), context),
  emailOf: (plan) => plan.email,
  counts: (plan) => ({ ...copyCounts(plan) }),
  note: (plan) => copyNote(plan),
};

type CopyJob = JobDoc & { request: CopyRequest };

/** Like queue's requireJob, which this module cannot import: the queue imports every kind. */
async function requireCopyJob(id: string): Promise<CopyJob> {
  const job = await Job.findById(id.trim()).lean();
  if (!job) throw notFound(`There is no job "${id}".`);
  if (job.request.kind !== 'copy-customers') throw invalid(`Job ${job._id} is a ${job.kind} job, not a copy.`);
  return job as CopyJob;
}

/** RequiresAttention.csv of a copy job, as a stream of CSV text derived from its items. */
export async function copyReport(jobId: string): Promise<Readable> {
  const job = await requireCopyJob(jobId);
  const items = plannedItems<CopyPlan>(job._id);
  return requiresAttentionCsv(attentionRows(items, importedGroupName(job.request.from, job._id)));
}

/** A copy job's outcome, machine-readable: counts per case and what is left to do. */
export interface CopySummary extends ItemTallies {
  jobId: string;
  from: string;
  to: string;
  projects: string[] | null;
  state: JobState;
  counts: CopyCounts;
  /** The run's imported group on the destination, when customers went into it. */
  importedGroup: string | null;
  /** Rows of RequiresAttention.csv: customers needing an action, and failures. */
  requiresAttention: number;
}

export async function copySummary(jobId: string): Promise<CopySummary> {
  const job = await requireCopyJob(jobId);
  const { progress, counts: summed } = await jobProgressAndCounts(job._id);
  const counts = addCopyCounts(emptyCopyCounts(), summed);
  return {
    jobId: job._id,
    from: job.request.from,
    to: job.request.to,
    projects: job.request.projects ?? null,
    state: job.state,
    ...itemTallies(progress),
    counts,
    importedGroup: counts.importedToGroup ? importedGroupName(job.request.from, job._id) : null,
    requiresAttention: counts.needsAction + progress.failed,
  };
}

/**
 * The emails a copy left as duplicates on the destination ("Fix duplicates" migrates them there with a
 * migrate-to-account job on the copy's destination site).
 */
export async function duplicatesOf(jobId: string): Promise<string[]> {
  const job = await requireCopyJob(jobId);
  const duplicates = await JobPlan.find({ job: job._id, 'plan.case': 'duplicate' }, { _id: 1 }).lean();
  const ids = new Set(duplicates.map((plan) => plan._id));
  return (await itemsIn(job._id, ['succeeded'])).filter((item) => ids.has(item._id)).map((item) => item.email);
}
