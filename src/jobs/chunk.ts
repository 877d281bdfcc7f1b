import type { AnyBulkWriteOperation } from 'mongodb';
import type { OperationContext } from '../accounts/context';
import { emailKey } from '../accounts/email';
import { bulkWrite } from '../db/bulk';
import { isConnectionError } from '../db/errors';
import { log } from '../log';
import type { JobHandler } from './handler';
import { handlerFor, type JobRequest } from './kinds';
import type { JobDoc, JobItemDoc } from './models';
import { JobItem } from './models';
import { type PlannedItem, storePlans, withPlans } from './plans';

/**
 * One chunk of a job: plan the items not planned yet and store the plans (or refusals), apply every plan in
 * bulk, then record each item's result. Re-running a chunk after a crash anywhere gives the same end state.
 */
export async function processChunk(job: JobDoc, chunk: JobItemDoc[]): Promise<void> {
  const handler = handlerFor(job.request);
  const now = () => new Date();
  let items = await withPlans(chunk);
  const unplanned = items.filter((item) => item.plan === null);
  if (unplanned.length) {
    const outcomes = await handler.plan(
      job.request,
      unplanned.map((item) => item.email),
    );
    const newPlans: PlannedItem[] = [];
    const refusals: AnyBulkWriteOperation<JobItemDoc>[] = [];
    for (const item of unplanned) {
      const outcome = outcomes.get(emailKey(item.email));
      if (!outcome) continue;
      if ('plan' in outcome) newPlans.push({ ...item, plan: outcome.plan });
      else
        refusals.push({
          updateOne: {
            filter: { _id: item._id, state: 'pending' },
            update: { $set: { state: 'refused', reason: outcome.refused, finishedAt: now() } },
          },
        });
    }
    const stored = new Map((await storePlans(newPlans)).map((item) => [item._id, item]));
    items = items.map((item) => stored.get(item._id) ?? item);
    await bulkWrite(JobItem, refusals, { ordered: false });
  }

  const planned = items.filter((item) => item.plan !== null);
  if (planned.length === 0) return;
  const failures = await applyEach(
    handler,
    job.request,
    planned.map((item) => item.plan),
    {
      actor: job.requestedBy,
      correlationId: job._id,
    },
  );
  // Items with the same result are recorded by one updateMany: FerretDB v1 looks each updateOne's document up
  // on its own, which made these writes about five times slower.
  const finishedAt = now();
  const sameResult = new Map<string, { result: Partial<JobItemDoc>; ids: string[] }>();
  for (const item of planned) {
    const reason = failures.get(emailKey(item.email));
    const result: Partial<JobItemDoc> = reason
      ? { state: 'failed', reason, finishedAt }
      : { state: 'succeeded', counts: handler.counts(item.plan), finishedAt };
    const key = JSON.stringify(result);
    const group = sameResult.get(key) ?? { result, ids: [] };
    sameResult.set(key, group);
    group.ids.push(item._id);
  }
  const results = [...sameResult.values()].map(
    ({ result, ids }): AnyBulkWriteOperation<JobItemDoc> => ({
      updateMany: { filter: { job: job._id, _id: { $in: ids }, state: 'pending' }, update: { $set: result } },
    }),
  );
  await bulkWrite(JobItem, results, { ordered: false });
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
