import { model, Schema } from 'mongoose';
import { emailKey } from '../accounts/email';
import { insertNew } from '../db/insertMissing';
import type { JobDoc, JobItemDoc } from './models';

/**
 * Which job is working on a customer (site and email) right now, for the length of one chunk, so that two jobs
 * touching the same customer never interleave (a migration and a make-portal-only of one email, say). A claim is
 * a unique-key insert; its expiry frees the customers of a holder that crashed (FerretDB has no TTL index, so
 * an expired claim is removed by the next job that wants the customer), and what a job holds is read back after
 * the write rather than trusted from it.
 */
export interface CustomerClaimDoc {
  _id: string; // <site>/<email key>
  job: string;
  until: Date;
}

const schema = new Schema<CustomerClaimDoc>(
  { _id: String, job: { type: String, required: true }, until: { type: Date, required: true } },
  { versionKey: false },
);

export const CustomerClaim = model<CustomerClaimDoc>('CustomerClaim', schema, 'customerClaims');

const claimId = (job: JobDoc, item: JobItemDoc) => `${job.site}/${emailKey(item.email)}`;

const insertClaims = (docs: CustomerClaimDoc[]) => insertNew(CustomerClaim, docs);

/** Claims the items' customers for `holdMs`; returns the items whose customer this job now holds. */
export async function claimCustomers(job: JobDoc, items: JobItemDoc[], holdMs: number): Promise<JobItemDoc[]> {
  const now = new Date();
  const until = new Date(now.getTime() + holdMs);
  const ids = items.map((item) => claimId(job, item));
  await insertClaims(ids.map((_id) => ({ _id, job: job._id, until })));
  const claims = await CustomerClaim.find({ _id: { $in: ids } }).lean();
  const expired = claims.filter((claim) => claim.job !== job._id && claim.until < now);
  if (expired.length) {
    // Only a claim still expired and still its crashed holder's goes; then the insert races like any other.
    await CustomerClaim.deleteMany({
      $or: expired.map(({ _id, job: holder, until: at }) => ({ _id, job: holder, until: at })),
    });
    await insertClaims(expired.map(({ _id }) => ({ _id, job: job._id, until })));
  }
  // Ours from an earlier run of this job (a crash mid-chunk) are ours again, for the new length.
  await CustomerClaim.updateMany({ _id: { $in: ids }, job: job._id }, { $set: { until } });
  const mine = new Set(
    (await CustomerClaim.find({ _id: { $in: ids }, job: job._id }, { _id: 1 }).lean()).map((claim) => claim._id),
  );
  return items.filter((item) => mine.has(claimId(job, item)));
}

export async function releaseCustomers(job: JobDoc, items: JobItemDoc[]): Promise<void> {
  if (items.length === 0) return;
  await CustomerClaim.deleteMany({ _id: { $in: items.map((item) => claimId(job, item)) }, job: job._id });
}

/** Extends the claims this job holds on the items' customers, for a chunk that runs longer than it claimed them. */
export async function renewCustomers(job: JobDoc, items: JobItemDoc[], holdMs: number): Promise<void> {
  if (items.length === 0) return;
  const until = new Date(Date.now() + holdMs);
  await CustomerClaim.updateMany(
    { _id: { $in: items.map((item) => claimId(job, item)) }, job: job._id },
    { $set: { until } },
  );
}
