import { setTimeout as sleep } from 'node:timers/promises';
import { emailKey } from '../../src/accounts/email';
import type { MigrationRequest } from '../../src/accounts/migration';
import { AtlassianAccount, AuditEvent, CustomerRequest, PortalCustomer } from '../../src/accounts/models';
import { seedDirectory } from '../../src/accounts/seed';
import { exportSnapshotText } from '../../src/accounts/snapshot/export';
import { JOB_ENDED } from '../../src/jobs/finish';
import { unfinishedItems } from '../../src/jobs/items';
import { ENDED_STATES, Job, JobResult } from '../../src/jobs/models';
import { JobPlan } from '../../src/jobs/plans';
import { enqueueJob } from '../../src/jobs/queue';
import { OutboxEvent } from '../../src/outbox';
import { clearDatabase, useTestDatabase } from '../support/database';
import { admin, runJobs } from '../support/jobs';
import { exited, spawnAccounts, uriFor, waitForOutput } from '../support/processes';

/**
 * Durability: workers in child processes are killed with SIGKILL at random moments over a set of batches, a
 * fresh worker finishes, and the result must equal an uninterrupted run's.
 */
const { dbName } = useTestDatabase('crash');
const RUNS = Number(process.env.CRASH_RUNS ?? 50);
const LEASE_MS = 400;

async function queueBatches(): Promise<void> {
  await clearDatabase();
  await seedDirectory({ customers: 1000, seed: 11 });
  const portal = await PortalCustomer.find({ site: 'globex', status: 'active' }, { email: 1 })
    .sort({ emailKey: 1 })
    .lean();
  const requests: MigrationRequest[] = [
    { kind: 'migrate-to-account', site: 'globex', target: { emails: portal.map((p) => p.email) } },
    { kind: 'make-portal-only', site: 'globex-eu', target: { selector: 'eligible-for-portal-only' } },
    { kind: 'migrate-to-account', site: 'globex-apac', target: { selector: 'invited-not-migrated' } },
  ];
  for (const request of requests) await enqueueJob(request, { requestedBy: admin });
}

/** The directory with the times a run stamps (when profiles were migrated) blanked, so two runs compare. */
function comparable(snapshot: string, runStart: Date): unknown {
  return JSON.parse(snapshot, (key, value) =>
    key === 'migratedAt' && typeof value === 'string' && new Date(value) >= runStart ? 'during the run' : value,
  );
}

/** How much work is recorded: stored plans, finished items and audit events. */
const recordedWork = async () =>
  (await JobPlan.countDocuments()) + (await JobResult.countDocuments()) + (await AuditEvent.countDocuments());

const allEnded = async () => (await Job.countDocuments({ state: { $nin: ENDED_STATES } })) === 0;

/**
 * Starts and SIGKILLs workers until RUNS kills have landed mid-batch (or the batch is done); returns how many did.
 * Each worker is killed at a random moment shortly after it has recorded some work, so every kill interrupts
 * work in progress and the batch outlasts the kills whatever the machine's speed.
 */
async function killWorkersAtRandom(): Promise<number> {
  let interrupted = 0;
  while (interrupted < RUNS && !(await allEnded())) {
    const before = await recordedWork();
    const worker = spawnAccounts(['worker'], {
      MONGODB_URI: uriFor(dbName),
      JOB_LEASE_MS: String(LEASE_MS),
      JOB_POLL_MS: '10',
      JOB_CHUNK_SIZE: '3',
      LOG_LEVEL: 'warn',
    });
    await waitForOutput(worker, /is running/);
    while ((await recordedWork()) === before && !(await allEnded())) await sleep(10);
    await sleep(Math.random() * 150);
    worker.kill('SIGKILL');
    await exited(worker);
    if ((await recordedWork()) > before) interrupted++;
  }
  return interrupted;
}

it(`ends with the same directory as an uninterrupted run after ${RUNS} workers are killed mid-batch`, async () => {
  await queueBatches();
  const referenceStart = new Date();
  await runJobs();
  const reference = comparable(await exportSnapshotText(), referenceStart);

  await queueBatches();
  const crashStart = new Date();
  const interrupted = await killWorkersAtRandom();
  await sleep(LEASE_MS + 100); // the last killed worker's lease lapses
  await runJobs({ leaseMs: LEASE_MS });
  expect(interrupted).toBe(RUNS); // the batch outlasted every kill: each landed while work was in progress

  // Every request's reporter exists and is active.
  const reporters = await CustomerRequest.distinct('reporter');
  const activeAccounts = await AtlassianAccount.countDocuments({ _id: { $in: reporters }, status: 'active' });
  const activeProfiles = await PortalCustomer.countDocuments({ _id: { $in: reporters }, status: 'active' });
  expect(activeAccounts + activeProfiles).toBe(reporters.length);

  // No email has two non-closed accounts.
  const open = await AtlassianAccount.find({ status: { $ne: 'closed' } }, { email: 1 }).lean();
  expect(new Set(open.map((a) => emailKey(a.email))).size).toBe(open.length);

  // Every job ended exactly once, with exactly one outbox event, and no item was left behind.
  const jobs = await Job.find().lean();
  expect(jobs).toHaveLength(3);
  for (const job of jobs) {
    expect(ENDED_STATES).toContain(job.state);
    const events = await OutboxEvent.find({ type: JOB_ENDED, 'payload.jobId': job._id }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({ outcome: job.state, endedAt: job.endedAt });
  }
  expect(await OutboxEvent.countDocuments({ type: JOB_ENDED })).toBe(3);
  for (const job of jobs) expect(await unfinishedItems(job._id)).toEqual([]);

  expect(comparable(await exportSnapshotText(), crashStart)).toEqual(reference);
}, 600_000);
