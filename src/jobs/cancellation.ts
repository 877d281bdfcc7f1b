import { model, Schema } from 'mongoose';
import type { Actor } from '../accounts/models';
import { insertOnce } from '../db/insertMissing';

/**
 * That someone asked to cancel a job, kept as an insert of its own rather than a field of the job document:
 * workers update that document while they run the job (lease renewals, several a minute during a long chunk),
 * and FerretDB v1 applies an update by rewriting the whole document it read, so a cancel written between a
 * renewal's read and its write was lost. The first request to cancel stays.
 */
export interface JobCancellationDoc {
  _id: string; // the job's id
  by: Actor;
  at: Date;
}

const schema = new Schema<JobCancellationDoc>(
  { _id: String, by: { kind: String, id: String, name: String }, at: { type: Date, required: true } },
  { versionKey: false },
);

export const JobCancellation = model<JobCancellationDoc>('JobCancellation', schema, 'jobCancellations');

/** Records that `by` asked to cancel the job; false if someone had asked already. */
export const requestCancellation = (job: string, by: Actor) =>
  insertOnce(JobCancellation, { _id: job, by, at: new Date() });

/** Whether someone asked to cancel the job. */
export const isCancelRequested = async (job: string) => (await JobCancellation.exists({ _id: job })) !== null;
