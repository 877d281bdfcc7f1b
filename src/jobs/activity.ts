import { model, Schema } from 'mongoose';
import { log } from '../log';
import type { JobKind } from './kinds';

/**
 * What a running job is doing inside a chunk, for the people waiting on it. A job's progress is otherwise its
 * chunk summaries (progress.ts), written when a chunk is applied; but a sync has a single item, the site, whose
 * planning reads Atlassian for minutes inside that one chunk, so its summaries say 0 of 1 until the end.
 *
 * One small document per job, in a collection of its own rather than on the job document: workers renew their
 * lease on that one and admins cancel through it, and FerretDB v1 may lose one of two concurrent updates of a
 * document. Written at most every few seconds (an update is slow on FerretDB), best effort, and never read to
 * decide anything: the Slack message and the CLI's progress bar show it, nothing else.
 */
export interface JobActivityDoc {
  _id: string; // the job's id
  /** What the job does now, as the rest of a sentence: "reading users from acme.atlassian.net". */
  doing: string;
  /** What it has done so far, by singular noun, in the order people read them: { desk: 2, customer: 40 }. */
  counts: Record<string, number>;
  /** Where it is among its steps, for a progress bar: step 3 of 7. */
  step: number;
  steps: number;
  at: Date;
}

export type ActivityReport = Omit<JobActivityDoc, '_id' | 'at'>;

const schema = new Schema<JobActivityDoc>(
  {
    _id: String,
    doing: { type: String, required: true },
    counts: { type: Schema.Types.Mixed, default: {} },
    step: { type: Number, required: true },
    steps: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

export const JobActivity = model<JobActivityDoc>('JobActivity', schema, 'jobActivities');

/** The kinds whose chunks report their activity: a sync's one item reads for minutes. */
export const REPORTING_KINDS: readonly JobKind[] = ['sync'];

/** The least time between two writes of one job's activity. */
export const ACTIVITY_EVERY_MS = 3_000;

/**
 * Records a job's activity as the job reports it, often (after every page read): the first report at once, then
 * at most one every `everyMs`, one write at a time. Reports in between are dropped, not queued: the next write
 * carries the latest.
 */
export function activityRecorder(job: string, everyMs = ACTIVITY_EVERY_MS): (activity: ActivityReport) => void {
  let last = Number.NEGATIVE_INFINITY;
  let writing = false;
  return (activity) => {
    const now = Date.now();
    if (writing || now - last < everyMs) return;
    last = now;
    writing = true;
    JobActivity.updateOne({ _id: job }, { $set: { ...activity, at: new Date(now) } }, { upsert: true })
      .catch((error: unknown) => log.warn({ err: error, job }, 'could not record what a job is doing'))
      .finally(() => {
        writing = false;
      });
  };
}

/** What a job was doing when it last said so; null before it has said anything. */
export const jobActivity = (job: string) => JobActivity.findById(job).lean<JobActivityDoc>();
