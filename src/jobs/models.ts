import { model, Schema } from 'mongoose';
import type { Actor } from '../accounts/models';
import type { JobKind, JobRequest } from './kinds';

/**
 * Durable asynchronous work. A job's progress is never a counter: it is the sum of its chunks' summaries, each
 * written once (progress.ts), so a repeated or resumed step cannot count twice.
 */

export type JobState = 'creating' | 'queued' | 'running' | JobOutcome;
/** 'stale': the preview the person confirmed no longer matched the directory, so nothing was changed. */
export type JobOutcome = 'succeeded' | 'partly-succeeded' | 'failed' | 'cancelled' | 'stale';
export const ENDED_STATES: readonly JobState[] = ['succeeded', 'partly-succeeded', 'failed', 'cancelled', 'stale'];

export interface Lease {
  owner: string;
  until: Date;
}

export interface JobDoc {
  _id: string; // short, so people can type it: /migration-status j4k9m2x7
  /** Idempotency key: a retried request or a double submit finds the first job instead of making a second. */
  key: string;
  kind: JobKind;
  site: string;
  request: JobRequest;
  description: string;
  requestedBy: Actor;
  requestedAt: Date;
  state: JobState;
  total: number;
  startedAt: Date | null;
  endedAt: Date | null;
  lease: Lease | null;
  /**
   * The fingerprint of the preview the person confirmed, checked by the worker before any item is written: a
   * confirmation is kept at once (one insert) and the slow check comes after the ack.
   */
  expectedFingerprint?: string | null;
  /** The last error that stopped a run, and how many runs in a row it stopped; the job ends after a few. */
  failure?: { message: string; count: number } | null;
}

/** One customer of a job, written when the job is created and never changed. Its plan and its result are stored apart. */
export interface JobItemDoc {
  _id: string; // <job id>/<email key>
  job: string;
  seq: number;
  email: string;
}

export type ResultState = 'succeeded' | 'refused' | 'failed';
/** An item without a result is pending. */
export type ItemState = 'pending' | ResultState;

/**
 * What became of one item, inserted once when its chunk is applied; the first one recorded stays. Results are
 * inserts into their own collection, not updates of the item: FerretDB v1 makes each updated document cost more
 * as the table grows (FINDINGS.md k9), which made a copy of 100,000 customers spend most of its time there.
 */
export interface JobResultDoc {
  _id: string; // the item's id
  job: string;
  seq: number;
  email: string;
  state: ResultState;
  reason: string | null;
  counts: Record<string, number> | null;
  finishedAt: Date;
}

const actor = { kind: String, id: String, name: String };

const jobSchema = new Schema<JobDoc>(
  {
    _id: String,
    key: { type: String, required: true },
    kind: { type: String, required: true },
    site: { type: String, required: true },
    request: { type: Schema.Types.Mixed, required: true },
    description: { type: String, required: true },
    requestedBy: actor,
    requestedAt: { type: Date, required: true },
    state: { type: String, required: true },
    total: { type: Number, default: 0 },
    startedAt: { type: Date, default: null },
    endedAt: { type: Date, default: null },
    lease: { type: new Schema<Lease>({ owner: String, until: Date }, { _id: false }), default: null },
    expectedFingerprint: { type: String, default: null },
    failure: { type: new Schema({ message: String, count: Number }, { _id: false }), default: null },
  },
  { versionKey: false },
);
jobSchema.index({ key: 1 }, { unique: true });
jobSchema.index({ state: 1, requestedAt: 1 });
jobSchema.index({ requestedAt: -1 });

const itemSchema = new Schema<JobItemDoc>(
  {
    _id: String,
    job: { type: String, required: true },
    seq: { type: Number, required: true },
    email: { type: String, required: true },
  },
  { versionKey: false },
);
itemSchema.index({ job: 1, seq: 1 });

const resultSchema = new Schema<JobResultDoc>(
  {
    _id: String,
    job: { type: String, required: true },
    seq: { type: Number, required: true },
    email: { type: String, required: true },
    state: { type: String, required: true },
    reason: { type: String, default: null },
    counts: { type: Schema.Types.Mixed, default: null },
    finishedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
resultSchema.index({ job: 1, seq: 1 });

export const Job = model<JobDoc>('Job', jobSchema, 'jobs');
export const JobItem = model<JobItemDoc>('JobItem', itemSchema, 'jobItems');
export const JobResult = model<JobResultDoc>('JobResult', resultSchema, 'jobResults');
