import { randomUUID } from 'node:crypto';
import { recordAudit } from '../accounts/audit';
import { emailKey } from '../accounts/email';
import { conflict, DomainError, invalid, notFound } from '../accounts/errors';
import type { Actor } from '../accounts/models';
import { isDuplicateKeyError } from '../db/errors';
import { insertNew } from '../db/insertMissing';
import { wake } from '../wakeups';
import { requestCancellation } from './cancellation';
import { finishJob, type JobEnd } from './finish';
import { newJobId } from './ids';
import { handlerFor, type JobRequest } from './kinds';
import { ENDED_STATES, Job, type JobDoc, JobItem } from './models';

const ITEM_BATCH = 1000;

/** The directory changed since the preview was shown (the CLI, which checks before queueing). */
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
 * Keeps a confirmed request: one insert of the job, in its 'creating' state, keyed by `key`, with the fingerprint
 * of the preview that was confirmed. This is what a Slack confirmation waits for before its ack; the worker does
 * the rest (completeCreation). The same key always yields the same job.
 */
export async function requestJob(
  request: JobRequest,
  options: EnqueueOptions,
): Promise<{ job: JobDoc; created: boolean }> {
  const key = options.key ?? randomUUID();
  const existing = await Job.findOne({ key }).lean();
  if (existing) return { job: existing, created: false };
  return insertJob(request, key, options);
}

/**
 * Queues a job and waits for its creation (the CLI, tests): the customers are resolved and frozen as items now,
 * so the run does what was confirmed. A stale preview or a request with nothing to do is refused before
 * anything is written.
 */
export async function enqueueJob(
  request: JobRequest,
  options: EnqueueOptions,
): Promise<{ job: JobDoc; created: boolean }> {
  const existing = options.key ? await Job.findOne({ key: options.key }).lean() : null;
  if (existing && existing.state !== 'creating') return { job: existing, created: false };
  if (options.expectedFingerprint && !existing) {
    const fingerprint = await handlerFor(request).fingerprint(request);
    if (fingerprint !== options.expectedFingerprint) throw new StalePreviewError();
  }
  const emails = await targetsOrRefuse(request);
  const { job } = existing
    ? { job: existing }
    : await requestJob(request, { ...options, expectedFingerprint: undefined });
  if (job.state !== 'creating') return { job, created: false };
  return { job: await completeCreation(job, emails), created: true };
}

async function insertJob(
  request: JobRequest,
  key: string,
  options: EnqueueOptions,
): Promise<{ job: JobDoc; created: boolean }> {
  const job: JobDoc = {
    _id: newJobId(),
    key,
    kind: request.kind,
    site: handlerFor(request).site(request),
    request,
    description: handlerFor(request).describe(request),
    requestedBy: options.requestedBy,
    requestedAt: new Date(),
    state: 'creating',
    total: 0,
    startedAt: null,
    endedAt: null,
    lease: null,
    expectedFingerprint: options.expectedFingerprint ?? null,
    failure: null,
  };
  try {
    await Job.collection.insertOne(job as never);
    wake('job-queued'); // a job in 'creating' is work for a worker too: it completes the creation
    return { job, created: true };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const raced = await Job.findOne({ key }).lean();
    if (!raced) throw error;
    return { job: raced, created: false };
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
 * Finishes creating a job (after a confirmation's ack, or after a creation was interrupted): checks the
 * confirmed preview against the directory, resolves the targets, writes the items (idempotently) and queues
 * it. A stale preview ends the job without changing anything; a request that cannot run (nothing to do any more,
 * a site gone) fails with its sentence. Either way the requester is told by the job's end event.
 */
export async function completeCreation(job: JobDoc, targets?: string[]): Promise<JobDoc> {
  try {
    if (!targets && (await isStale(job))) return await endCreation(job, 'stale');
    const emails = targets ?? (await targetsOrRefuse(job.request));
    await writeItems(job, emails);
  } catch (error) {
    if (targets || !(error instanceof DomainError)) throw error;
    return endCreation(job, { failed: error.message });
  }
  const total = await JobItem.countDocuments({ job: job._id });
  await Job.updateOne({ _id: job._id, state: 'creating' }, { $set: { state: 'queued', total } });
  wake('job-queued');
  const queued = (await Job.findById(job._id).lean()) as JobDoc;
  await recordAudit(
    { actor: job.requestedBy, correlationId: job._id },
    {
      action: 'job.enqueue',
      target: job._id,
      site: job.site,
      summary: `Queued ${job.kind} of ${job.description} on ${job.site} (${queued.total} customers).`,
      changes: { request: job.request },
    },
  );
  return queued;
}

/**
 * Whether the confirmed preview no longer matches the directory. Checked only while no item exists: items are
 * applied only once the job is queued, so a job with items passed this check already.
 */
async function isStale(job: JobDoc): Promise<boolean> {
  if (!job.expectedFingerprint) return false;
  if (await JobItem.exists({ job: job._id })) return false;
  return (await handlerFor(job.request).fingerprint(job.request)) !== job.expectedFingerprint;
}

/** Ends a job that never got to run, unless another creator of it got further meanwhile. */
async function endCreation(job: JobDoc, end: JobEnd): Promise<JobDoc> {
  const now = await Job.findById(job._id).lean();
  if (now?.state === 'creating') await finishJob(job._id, end);
  return (await Job.findById(job._id).lean()) as JobDoc;
}

async function writeItems(job: JobDoc, emails: string[]): Promise<void> {
  for (let i = 0; i < emails.length; i += ITEM_BATCH) {
    const items = emails.slice(i, i + ITEM_BATCH).map((email, j) => ({
      _id: `${job._id}/${emailKey(email)}`,
      job: job._id,
      seq: i + j,
      email,
    }));
    await insertNew(JobItem, items);
  }
}

/**
 * A job by its id; with `sites`, only a job on one of them (null: any site). A job on another site is answered
 * as one that does not exist, so that its id reveals nothing.
 */
export async function requireJob(id: string, sites: readonly string[] | null = null): Promise<JobDoc> {
  const job = await Job.findById(id.trim()).lean();
  if (!job || (sites && !sites.includes(job.site))) throw notFound(`There is no job "${id}".`);
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
  await requestCancellation(job._id, by);
  await recordAudit(
    { actor: by, correlationId: job._id },
    { action: 'job.cancel', target: job._id, site: job.site, summary: `Cancelled job ${job._id}.` },
  );
  const leaseLive = job.lease && job.lease.until > new Date();
  if ((job.state === 'queued' || job.state === 'creating') && !leaseLive) await finishJob(job._id, 'cancelled');
  return requireJob(job._id);
}

/** Recent jobs, newest first. */
export function recentJobs(limit = 20): Promise<JobDoc[]> {
  return Job.find().sort({ requestedAt: -1 }).limit(limit).lean();
}
