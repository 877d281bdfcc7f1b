import type { MigrationKind, MigrationPlan, MigrationTarget } from '../../src/accounts/migration';
import type { Actor } from '../../src/accounts/models';
import { everyItem, type ItemWithResult } from '../../src/jobs/items';
import { Job } from '../../src/jobs/models';
import { withPlans } from '../../src/jobs/plans';
import { enqueueJob } from '../../src/jobs/queue';
import { JobWorker, type WorkerOptions } from '../../src/jobs/worker';

export const admin: Actor = { kind: 'slack', id: 'U0ADMIN', name: 'ada' };

/** Runs every queued job to its end with a worker of this process. */
export async function runJobs(options: Partial<WorkerOptions> = {}): Promise<void> {
  await new JobWorker({ pollMs: 20, leaseMs: 10_000, ...options }).runUntilIdle();
}

/** Queues one migration or batch and runs it; returns the ended job and its items in order. */
export async function migrate(
  kind: MigrationKind,
  site: string,
  target: MigrationTarget | string[],
  options: { revokeLicences?: boolean } = {},
) {
  const request = { kind, site, target: Array.isArray(target) ? { emails: target } : target, ...options };
  const { job } = await enqueueJob(request, { requestedBy: admin });
  await runJobs();
  const ended = await Job.findById(job._id).lean();
  return { job: ended, items: await jobItems<MigrationPlan>(job._id) };
}

/** A job's items in order, each with its result and its stored plan. */
export async function jobItems<P>(jobId: string) {
  const items: ItemWithResult[] = [];
  for await (const item of everyItem(jobId)) items.push(item);
  return withPlans<P, ItemWithResult>(items);
}
