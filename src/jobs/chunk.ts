import type { OperationContext } from '../accounts/context';
import { emailKey } from '../accounts/email';
import { isConnectionError } from '../db/errors';
import { log } from '../log';
import type { JobHandler, Outcome, Planner } from './handler';
import { recordResults, resultOf, unfinishedItems } from './items';
import { handlerFor, type JobRequest } from './kinds';
import type { JobDoc, JobItemDoc, JobResultDoc } from './models';
import { type PlannedItem, plansOfChunk, storePlans } from './plans';
import { chunkHas, chunkId, type JobChunkDoc, jobChunks, recordChunk, seqRuns } from './progress';

/**
 * Each running job's planner, kept from chunk to chunk so that a job of many chunks reads the directory once
 * (see JobHandler.planner). The worker releases it when it stops running the job; a failed chunk drops it, so
 * that the retry reads afresh.
 */
const planners = new Map<string, Promise<Planner<Outcome<unknown>>>>();

function plannerOf(job: JobDoc, chunkLength: number): Promise<Planner<Outcome<unknown>>> {
  let planner = planners.get(job._id);
  if (!planner) {
    planner = handlerFor(job.request).planner(job.request, job.total > chunkLength);
    planners.set(job._id, planner);
  }
  return planner;
}

/**
 * Each running job's pending items, read once in job order and handed out chunk by chunk: FerretDB v1 sorts in
 * Go after reading every match, so asking for "the next chunk of pending items" each time read all the job's
 * pending items per chunk. They are held in memory (a few small fields each) rather than behind an open cursor,
 * which kept the items' table from being cleaned up while the job updated it. Items another worker finished
 * meanwhile are harmless: every step is idempotent, and a chunk already summarised is not summarised again.
 */
const pendingItems = new Map<string, JobItemDoc[]>();

/** The job's next pending items in job order, at most `size`. */
export async function nextPending(jobId: string, size: number): Promise<JobItemDoc[]> {
  let pending = pendingItems.get(jobId);
  if (!pending) {
    pending = (await unfinishedItems(jobId)).reverse();
    pendingItems.set(jobId, pending);
  }
  const items: JobItemDoc[] = [];
  while (items.length < size && pending.length) items.push(pending.pop() as JobItemDoc);
  // Exhausted: the next call reads afresh, which also finds items left pending by a failed chunk.
  if (items.length < size) pendingItems.delete(jobId);
  return items;
}

/** Closes what this process holds open for a job (its planner and pending items), when it stops running it. */
export async function releasePlanner(jobId: string): Promise<void> {
  const planner = planners.get(jobId);
  planners.delete(jobId);
  pendingItems.delete(jobId);
  await (await planner?.catch(() => undefined))?.close();
}

async function planChunk(job: JobDoc, emails: string[]): Promise<Map<string, Outcome<unknown>>> {
  try {
    return await (await plannerOf(job, emails.length)).plan(emails);
  } catch (error) {
    await releasePlanner(job._id).catch(() => undefined);
    throw error;
  }
}

/**
 * One chunk of a job: plan the items not planned yet and store the plans, apply every plan in bulk, record the
 * chunk's summary (progress reads those), then each item's result. Re-running a chunk after a crash anywhere
 * gives the same end state: a chunk whose summary is recorded re-runs only its own items and keeps that summary.
 */
export async function processChunk(job: JobDoc, pending: JobItemDoc[]): Promise<void> {
  const first = pending[0];
  if (!first) return;
  const handler = handlerFor(job.request);
  // A chunk summarised already re-runs only its own items; a new one takes only items no summary counts.
  const chunks = await jobChunks(job._id);
  const summarized = chunks.find((c) => chunkHas(c, first.seq));
  const chunk = pending.filter((item) =>
    summarized ? chunkHas(summarized, item.seq) : !chunks.some((c) => chunkHas(c, item.seq)),
  );
  const id = summarized?._id ?? chunkId(job._id, first.seq);
  let items = await plansOfChunk(id, chunk);
  const refusals: JobResultDoc[] = [];
  const unplanned = items.filter((item) => item.plan === null);
  if (unplanned.length) {
    const outcomes = await planChunk(
      job,
      unplanned.map((item) => item.email),
    );
    const newPlans: PlannedItem[] = [];
    for (const item of unplanned) {
      const outcome = outcomes.get(emailKey(item.email));
      if (!outcome) continue;
      if ('plan' in outcome) newPlans.push({ ...item, plan: outcome.plan });
      else refusals.push(resultOf(item, { state: 'refused', reason: outcome.refused, counts: null }));
    }
    const stored = new Map((await storePlans(id, newPlans)).map((item) => [item._id, item]));
    items = items.map((item) => stored.get(item._id) ?? item);
  }

  const planned = items.filter((item) => item.plan !== null);
  const failures = planned.length
    ? await applyEach(
        handler,
        job.request,
        planned.map((item) => item.plan),
        { actor: job.requestedBy, correlationId: job._id },
      )
    : new Map<string, string>();
  const results: JobResultDoc[] = [];
  const summary: JobChunkDoc = {
    _id: id,
    job: job._id,
    seqs: seqRuns(chunk.map((item) => item.seq)),
    succeeded: 0,
    refused: refusals.length,
    failed: 0,
    counts: {},
  };
  for (const item of planned) {
    const reason = failures.get(emailKey(item.email));
    const counts = reason ? {} : handler.counts(item.plan);
    if (reason) summary.failed++;
    else summary.succeeded++;
    for (const [name, n] of Object.entries(counts)) summary.counts[name] = (summary.counts[name] ?? 0) + n;
    results.push(
      reason
        ? resultOf(item, { state: 'failed', reason, counts: null })
        : resultOf(item, { state: 'succeeded', reason: null, counts }),
    );
  }
  if (!summarized) await recordChunk(summary);
  await recordResults([...refusals, ...results]);
}

/**
 * Applies the plans in bulk; if that fails for another reason than a lost database, applies them one by one so
 * that one bad customer fails alone and the rest of the batch goes on.
 */
async function applyEach(
  handler: JobHandler<JobRequest, unknown>,
  request: JobRequest,
  plans: unknown[],
  context: OperationContext,
): Promise<Map<string, string>> {
  try {
    return await handler.apply(request, plans, context);
  } catch (error) {
    if (isConnectionError(error)) throw error;
    log.warn({ err: error, job: context.correlationId }, 'bulk apply failed; applying one by one');
  }
  const failures = new Map<string, string>();
  for (const plan of plans) {
    try {
      for (const [key, reason] of await handler.apply(request, [plan], context)) failures.set(key, reason);
    } catch (error) {
      if (isConnectionError(error)) throw error;
      failures.set(emailKey(handler.emailOf(plan)), `Failed: ${(error as Error).message}`);
    }
  }
  return failures;
}
