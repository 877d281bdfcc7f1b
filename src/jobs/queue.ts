import { randomUUID } from 'node:crypto';
import { recordAudit } from '../accounts/audit';
import { emailKey } from '../accounts/email';
import { conflict, DomainError, invalid, notFound } from '../accounts/errors';
import type { Actor } from '../accounts/models';
import { isDuplicateKeyError } from '../db/errors';
import { wake } from '../wakeups';
import { finishJob } from './finish';
import { newJobId } from './ids';
import { handlerFor, type JobRequest } from './kinds';
import { ENDED_STATES, Job, type JobDoc, JobItem } from './models';

const ITEM_BATCH = 1000;

/** The directory changed since the preview was shown: the caller shows a new preview instead of applying. */
export class StalePreviewError extends DomainError {
  constructor() {
    super('conflict', 'The directory changed since this preview was made; review the new preview before confirming.');
  }
}

export interface EnqueueOptions {
  requestedBy: Actor;
  /** Idempotency key (a Slack view id, a retried request's id): the same key always yields the same job. */
  key?: string;
  /** The fingerprint of the preview the person confirmed; a different one now means the preview went stale. */
  expectedFingerprint?: string;
}

/**
 * Queues a job (a migration, a batch, a copy). Its customers are resolved now and frozen as items, so the run
 * does what was confirmed; creation itself is resumable (a job stays 'creating' until all its items exist).
 */
export async function enqueueJob(
  request: JobRequest,
  options: EnqueueOptions,
): Promise<{ job: JobDoc; created: boolean }> {
  const key = options.key ?? randomUUID();
  const existing = await Job.findOne({ key }).lean();
  if (existing && existing.state !== 'creating') return { job: existing, created: false };
  if (options.expectedFingerprint && !existing) {
    const fingerprint = await handlerFor(request).fingerprint(request);
    if (fingerprint !== options.expectedFingerprint) throw new StalePreviewError();
  }
  const emails = await targetsOrRefuse(request);
  const job = existing ?? (await insertJob(request, key, options.requestedBy));
  if (job.state !== 'creating') return { job, created: false };
  const created = await completeCreation(job, emails);
  await recordAudit(
    { actor: options.requestedBy, correlationId: job._id },
    {
      action: 'job.enqueue',
      target: job._id,
      summary: `Queued ${job.kind} of ${job.description} on ${job.site} (${created.total} customers).`,
      changes: { request },
    },
  );
  return { job: created, created: true };
}

async function insertJob(request: JobRequest, key: string, requestedBy: Actor): Promise<JobDoc> {
  const job: JobDoc = {
    _id: newJobId(),
    key,
    kind: request.kind,
    site: handlerFor(request).site(request),
    request,
    description: handlerFor(request).describe(request),
    requestedBy,
    requestedAt: new Date(),
    state: 'creating',
    total: 0,
    startedAt: null,
    endedAt: null,
    lease: null,
    cancelRequested: null,
  };
  try {
    await Job.collection.insertOne(job as never);
    return job;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const raced = await Job.findOne({ key }).lean();
    if (!raced) throw error;
    return raced;
  }
}

/** The emails of a request; a request with none is refused before anything is written. */
async function targetsOrRefuse(request: JobRequest): Promise<string[]> {
  const handler = handlerFor(request);
  const emails = await handler.targets(request);
  if (emails.length === 0) {
    throw invalid(
      `Nothing to do: there is no ${handler.describe(request).replace(/^every /, '')} on ${handler.site(request)}.`,
    );
  }
  return emails;
}

/**
 * Writes the job's items (idempotently) and queues it. Also finishes a creation that was interrupted, resolving
 * the targets again.
 */
export async function completeCreation(job: JobDoc, targets?: string[]): Promise<JobDoc> {
  const emails = targets ?? (await targetsOrRefuse(job.request));
  for (let i = 0; i < emails.length; i += ITEM_BATCH) {
    const items = emails.slice(i, i + ITEM_BATCH).map((email, j) => ({
      _id: `${job._id}/${emailKey(email)}`,
      job: job._id,
      seq: i + j,
      email,
      state: 'pending',
      reason: null,
      counts: null,
      finishedAt: null,
    }));
    try {
      await JobItem.collection.insertMany(items as never[], { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  const total = await JobItem.countDocuments({ job: job._id });
  await Job.updateOne({ _id: job._id, state: 'creating' }, { $set: { state: 'queued', total } });
  wake('job-queued');
  return (await Job.findById(job._id).lean()) as JobDoc;
}

export async function requireJob(id: string): Promise<JobDoc> {
  const job = await Job.findById(id.trim()).lean();
  if (!job) throw notFound(`There is no job "${id}".`);
  return job;
}

export const isEnded = (job: Pick<JobDoc, 'state'>) => ENDED_STATES.includes(job.state);

/**
 * Cancels a job: a queued one ends at once; a running one stops after the chunk in progress. Customers already
 * migrated stay migrated (a migration cannot be undone).
 */
export async function cancelJob(id: string, by: Actor): Promise<JobDoc> {
  const job = await requireJob(id);
  if (isEnded(job)) throw conflict(`Job ${job._id} already ended (${job.state}); there is nothing to cancel.`);
  await Job.updateOne({ _id: job._id, cancelRequested: null }, { $set: { cancelRequested: { by, at: new Date() } } });
  await recordAudit(
    { actor: by, correlationId: job._id },
    { action: 'job.cancel', target: job._id, summary: `Cancelled job ${job._id}.` },
  );
  const leaseLive = job.lease && job.lease.until > new Date();
  if (job.state === 'queued' && !leaseLive) await finishJob(job._id, true);
  return requireJob(job._id);
}

/** Recent jobs, newest first. */
export function recentJobs(limit = 20): Promise<JobDoc[]> {
  return Job.find().sort({ requestedAt: -1 }).limit(limit).lean();
}
