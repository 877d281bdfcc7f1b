import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { completeDecidedReviews } from '../accounts/groupReview';
import { isConnectionError } from '../db/errors';
import { log } from '../log';
import { onWake } from '../wakeups';
import { isCancelRequested } from './cancellation';
import { nextPending, processChunk, releasePlanner } from './chunk';
import { claimCustomers, releaseCustomers, renewCustomers } from './customerClaims';
import { recordFailure } from './failures';
import { finishJob } from './finish';
import { handlerFor } from './kinds';
import { whileLeased } from './lease';
import { type ConcurrencyLimits, MigrationLimiter } from './limiter';
import { ENDED_STATES, Job, type JobDoc, type JobItemDoc } from './models';
import { completeCreation, isEnded } from './queue';

export interface WorkerOptions {
  /** How long a claimed job stays this worker's without renewal; after that any worker may resume it. */
  leaseMs: number;
  pollMs: number;
  /** Jobs this worker runs at once. */
  maxJobs: number;
  /**
   * Customers planned and applied together in bulk. A chunk's reads cost about the same whatever its size (on
   * FerretDB v1 most of them scan), so bigger chunks mean fewer of them: 500 copies 10,000 customers in half the
   * time 200 takes.
   */
  chunkSize: number;
  limits: ConcurrencyLimits;
  /** Runs in a row a job may fail with the same error before it ends, its remaining customers failed. */
  maxFailures: number;
}

export const defaultWorkerOptions: WorkerOptions = {
  leaseMs: 30_000,
  pollMs: 1_000,
  maxJobs: 4,
  chunkSize: 500,
  limits: { total: 1_000, perSite: 500 },
  maxFailures: 5,
};

/**
 * Runs queued jobs. Several workers (in several processes) may run at once: a job is claimed with a lease that
 * its worker renews before each chunk and, on a timer, while a chunk runs. Correctness never depends on a claim
 * being exclusive (FerretDB v1's findAndModify is not atomic under concurrency): every step is idempotent and a
 * job ends exactly once.
 */
export class JobWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly options: WorkerOptions;
  private readonly limiter: MigrationLimiter;
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private unwake = () => {};
  private stopping = false;
  /** The poll in progress: a claim it is making must land before stop() hands the jobs back. */
  private polling: Promise<void> = Promise.resolve();

  constructor(options: Partial<WorkerOptions> = {}) {
    this.options = { ...defaultWorkerOptions, ...options };
    this.limiter = new MigrationLimiter(this.options.limits);
  }

  start(): void {
    this.stopping = false;
    let polling = false;
    let again = false;
    const poll = () => {
      clearTimeout(this.timer);
      polling = true;
      this.polling = this.fill()
        .catch((error) =>
          isConnectionError(error)
            ? log.warn('The database is unreachable; the worker keeps polling until it is back.')
            : log.error({ err: error }, 'worker poll failed; trying again'),
        )
        .finally(() => {
          polling = false;
          if (!this.stopping) this.timer = setTimeout(poll, again ? 0 : this.options.pollMs);
          again = false;
        });
    };
    // A job queued in this process is claimed at once; the poll finds those queued elsewhere.
    this.unwake = onWake('job-queued', () => {
      if (this.stopping) return;
      if (polling) again = true;
      else poll();
    });
    poll();
  }

  /** Runs jobs until none is left to claim; for the CLI and tests. */
  async runUntilIdle(): Promise<void> {
    for (;;) {
      await this.fill();
      if (this.running.size === 0) return;
      await Promise.race(this.running.values());
    }
  }

  /**
   * Stops claiming, lets running chunks finish (at most `withinMs`) and hands unfinished jobs back at once. A
   * chunk cut short is redone by whoever takes the job: its steps are idempotent.
   */
  async stop(withinMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.stopping = true;
    this.unwake();
    clearTimeout(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      if (Number.isFinite(withinMs)) timer = setTimeout(resolve, withinMs);
    });
    await Promise.race([this.polling.then(() => Promise.allSettled(this.running.values())), bound]);
    clearTimeout(timer);
    await Job.updateMany({ 'lease.owner': this.id, state: { $nin: ENDED_STATES } }, { $set: { lease: null } });
  }

  private async fill(): Promise<void> {
    await this.sweep();
    while (!this.stopping && this.running.size < this.options.maxJobs) {
      const job = await this.claim();
      if (!job) return;
      const run = this.run(job)
        .catch((error) => {
          if (isConnectionError(error)) {
            log.warn({ job: job._id }, 'database unreachable; the job resumes when it is back');
            return;
          }
          log.error({ err: error, job: job._id }, 'job run failed');
          return recordFailure(job._id, error, this.options.maxFailures).catch((failed) =>
            log.error({ err: failed, job: job._id }, 'could not record the failure of a job'),
          );
        })
        .finally(() => {
          this.running.delete(job._id);
          releasePlanner(job._id).catch(() => undefined); // the job's open streams; see chunk.ts
        });
      this.running.set(job._id, run);
    }
  }

  private lastSweep = 0;

  /**
   * Now and then, completes review decisions whose process died between their writes (kept at the ack, their
   * audit event and announcement derived after it). A decision younger than a few polls is still its own
   * process's to complete.
   */
  private async sweep(): Promise<void> {
    if (Date.now() - this.lastSweep < this.options.leaseMs / 3) return;
    this.lastSweep = Date.now();
    await completeDecidedReviews(this.options.pollMs * 5);
  }

  private async claim(): Promise<JobDoc | null> {
    const now = new Date();
    const claimed = await Job.findOneAndUpdate(
      {
        _id: { $nin: [...this.running.keys()] },
        $and: [
          // 'creating': a confirmation kept at its ack, or a creation interrupted; the worker completes it.
          { state: { $in: ['creating', 'queued', 'running'] } },
          { $or: [{ lease: null }, { 'lease.until': { $lt: now } }, { 'lease.owner': this.id }] },
        ],
      },
      { $set: { lease: { owner: this.id, until: this.leaseEnd(now) } } },
      { sort: { requestedAt: 1 }, returnDocument: 'after' },
    ).lean();
    if (!claimed) return null;
    const check = await Job.findById(claimed._id, { lease: 1 }).lean();
    return check?.lease?.owner === this.id ? claimed : null;
  }

  private leaseEnd = (from = new Date()) => new Date(from.getTime() + this.options.leaseMs);

  /** Extends the lease of a job whose chunk is running, and its customers' claims; false once it is not ours. */
  private async renewLease(job: JobDoc, held: JobItemDoc[]): Promise<boolean> {
    const renewed = await Job.updateOne(
      { _id: job._id, 'lease.owner': this.id },
      { $set: { 'lease.until': this.leaseEnd() } },
    );
    if (renewed.matchedCount === 0) return false;
    await renewCustomers(job, held, this.options.leaseMs);
    return true;
  }

  private async run(claimed: JobDoc): Promise<void> {
    let job = claimed;
    if (job.state === 'creating') {
      job = await completeCreation(job);
      if (isEnded(job)) return;
    }
    await Job.updateOne({ _id: job._id, startedAt: null }, { $set: { startedAt: new Date() } });
    await Job.updateOne({ _id: job._id, state: 'queued' }, { $set: { state: 'running' } });
    const chunkSize = Math.min(this.options.chunkSize, this.limiter.maxChunk);
    const end = async (cancelled: boolean) => {
      await handlerFor(job.request).beforeEnd?.(job.request, { actor: job.requestedBy, correlationId: job._id });
      return finishJob(job._id, cancelled ? 'cancelled' : 'ran');
    };
    for (;;) {
      const done = await this.limiter.run(job.site, chunkSize, async () => {
        const fresh = await Job.findOneAndUpdate(
          { _id: job._id, 'lease.owner': this.id },
          { $set: { 'lease.until': this.leaseEnd() } },
          { returnDocument: 'after' },
        ).lean();
        if (!fresh) return true; // another worker took over after our lease lapsed
        if (await isCancelRequested(job._id)) {
          await end(true);
          return true;
        }
        const items = await nextPending(job._id, chunkSize);
        if (items.length === 0) {
          const ended = await end(false);
          log.info({ job: job._id, outcome: ended.outcome, durationMs: ended.durationMs }, 'job ended');
          return true;
        }
        const held = await claimCustomers(job, items, this.options.leaseMs);
        let lost = false;
        try {
          // Renewed while the chunk runs as well: one chunk may outlast the lease (a sync's reading, see lease.ts).
          ({ lost } = await whileLeased(
            job._id,
            () => this.renewLease(job, held),
            this.options.leaseMs / 3,
            () => processChunk(job, held),
          ));
          if (lost) return true; // another worker runs the job now
          // A chunk done: failures are counted in a row.
          if (held.length && fresh.failure) await Job.updateOne({ _id: job._id }, { $set: { failure: null } });
        } finally {
          // Lost, the claims (keyed by the job) are the new holder's: releasing them would free its customers.
          if (!lost) await releaseCustomers(job, held);
        }
        // Every customer of the chunk is another job's right now: this one waits for them.
        if (held.length === 0) await sleep(this.options.pollMs);
        return this.stopping;
      });
      if (done) return;
    }
  }
}
