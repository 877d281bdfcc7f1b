import { model, Schema } from 'mongoose';
import { isDuplicateKeyError } from '../db/errors';
import { everyItem, type ItemWithResult, joinBySeq } from './items';
import type { JobItemDoc } from './models';

/**
 * Each item's plan, stored before it is applied so that a resumed job applies the same plan. Plans live in their
 * own collection keyed by item id and are inserted, never updated: the first insert wins (a unique key is atomic
 * on every server), and on FerretDB v1 an insert costs a fraction of the conditional update it replaces, which
 * scanned every item of the job for each customer.
 */
export interface JobPlanDoc {
  _id: string; // the item's id
  job: string;
  seq: number;
  /** The chunk that planned it (see progress.ts), so that a re-run chunk finds its plans with one equality. */
  chunk: string;
  plan: unknown;
}

const planSchema = new Schema<JobPlanDoc>(
  {
    _id: String,
    job: { type: String, required: true },
    seq: { type: Number, required: true },
    chunk: { type: String },
    plan: Schema.Types.Mixed,
  },
  { versionKey: false },
);
planSchema.index({ job: 1, seq: 1 });
planSchema.index({ chunk: 1 });

export const JobPlan = model<JobPlanDoc>('JobPlan', planSchema, 'jobPlans');

/** An item with its stored plan, or null when it has none (not planned yet, or refused). */
export type PlannedItem<P = unknown, I extends JobItemDoc = JobItemDoc> = I & { plan: P | null };

/** The items with their stored plans, in the order given. */
export async function withPlans<P, I extends JobItemDoc = JobItemDoc>(items: I[]): Promise<PlannedItem<P, I>[]> {
  if (items.length === 0) return [];
  const stored = await JobPlan.find({ _id: { $in: items.map((item) => item._id) } }).lean();
  const plans = new Map(stored.map((doc) => [doc._id, doc.plan as P]));
  return items.map((item) => ({ ...item, plan: plans.get(item._id) ?? null }));
}

/**
 * The items of a chunk with the plans that chunk stored (one equality query: FerretDB v1 answers withPlans' `$in`
 * by reading every plan of every job). Plans stored under another chunk are found when storing them again.
 */
export async function plansOfChunk<P>(chunk: string, items: JobItemDoc[]): Promise<PlannedItem<P>[]> {
  const stored = await JobPlan.find({ chunk }).lean();
  const plans = new Map(stored.map((doc) => [doc._id, doc.plan as P]));
  return items.map((item) => ({ ...item, plan: plans.get(item._id) ?? null }));
}

/**
 * Stores plans for items that have none; where another worker stored one first, that plan is kept. Returns the
 * items with the plans that are stored now.
 */
export async function storePlans<P>(chunk: string, planned: PlannedItem<P>[]): Promise<PlannedItem<P>[]> {
  if (planned.length === 0) return [];
  const docs = planned.map(({ _id, job, seq, plan }) => ({ _id, job, seq, chunk, plan }));
  try {
    await JobPlan.collection.insertMany(docs as never[], { ordered: false });
    return planned;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return withPlans<P>(planned);
  }
}

/** A job's items that have plans, with their results, in job order, streamed: any size in bounded memory. */
export async function* plannedItems<P>(job: string): AsyncGenerator<PlannedItem<P, ItemWithResult>> {
  const plans = JobPlan.find({ job }).sort({ seq: 1 }).lean<JobPlanDoc[]>().cursor({ batchSize: 1000 });
  for await (const [item, plan] of joinBySeq(everyItem(job), plans)) if (plan) yield { ...item, plan: plan.plan as P };
}
