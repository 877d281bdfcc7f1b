import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandStartedEvent } from 'mongodb';
import mongoose from 'mongoose';
import { connectSite } from '../../src/atlassian/connect';
import type { SyncPlan } from '../../src/atlassian/sync';
import { opsPerWriteCommand } from '../../src/db/bulk';
import { Job } from '../../src/jobs/models';
import { JobPlan } from '../../src/jobs/plans';
import { JobChunk } from '../../src/jobs/progress';
import { enqueueJob } from '../../src/jobs/queue';
import { JobWorker } from '../../src/jobs/worker';
import { OutboxEvent } from '../../src/outbox';
import type { AtlassianEmulator } from '../support/atlassianEmulator';
import { clearDatabase, testContext, useTestDatabase } from '../support/database';
import { admin } from '../support/jobs';
import { exited, spawnAccounts, waitForOutput } from '../support/processes';
import { atlassianEnv, emulatorConfig, useAtlassianEmulator } from './support';

/**
 * A sync's one chunk reads Atlassian for longer than the job's lease. The lease is renewed while the chunk runs,
 * so a second worker on the same database never takes the job over mid-read; and a worker whose lease is taken
 * over anyway (it stalled) writes nothing of its reading.
 */
// Commands are counted: the directory's write commands say how many times the sync's plan was applied.
const { dbName } = useTestDatabase('atlassian_lease', { monitorCommands: true });
jest.setTimeout(60_000);
// Pages of two, each answered late (delayMs below): the reading takes several leases' length.
const atlassian = useAtlassianEmulator({ maxPage: 2 });

let emulator: AtlassianEmulator;
const LEASE_MS = 500;
const DESKS = '/rest/servicedeskapi/servicedesk';
/** How many times the sync began reading the site: each reading starts with the list of service desks. */
const readingsBegun = () => emulator.calls.filter((c) => c.path === DESKS).length;

beforeEach(async () => {
  emulator = atlassian();
  await clearDatabase();
  await connectSite('acme', 'acme.atlassian.net', testContext(), emulatorConfig(emulator));
  emulator.calls.length = 0;
  emulator.delayMs = 60;
});

async function endedJob(jobId: string) {
  for (;;) {
    const job = await Job.findById(jobId).lean();
    if (job?.endedAt) return job;
    await sleep(50);
  }
}

/** Update commands sent, by collection, since the test began. */
const updates = new Map<string, number>();
const countUpdate = (event: CommandStartedEvent) => {
  if (event.commandName === 'update') updates.set(event.command.update, (updates.get(event.command.update) ?? 0) + 1);
};
beforeAll(() => mongoose.connection.getClient().on('commandStarted', countUpdate));
afterAll(() => mongoose.connection.getClient().off('commandStarted', countUpdate));
beforeEach(() => updates.clear());

/**
 * What the sync wrote: its plans, its chunk summaries and its end events, and how many times the directory
 * received its plan (each apply sends one update command per ten or thousand documents of each collection,
 * and one of connectedSites for lastSync).
 */
async function writesOf(jobId: string) {
  const plan = (await JobPlan.findOne({ job: jobId }).lean())?.plan as SyncPlan | undefined;
  const commandsPerApply = Object.entries(plan?.reconcile.writes ?? {}).map(
    ([collection, docs]) => [collection, Math.ceil(docs.length / opsPerWriteCommand())] as const,
  );
  const applies = commandsPerApply.length
    ? Math.max(...commandsPerApply.map(([collection, n]) => (updates.get(collection) ?? 0) / n))
    : 0;
  return {
    plans: await JobPlan.countDocuments({ job: jobId }),
    chunks: await JobChunk.countDocuments({ job: jobId }),
    ends: await OutboxEvent.countDocuments({ _id: `job:${jobId}` }),
    applies,
    lastSyncWrites: updates.get('connectedSites') ?? 0,
  };
}

it('runs a sync once with two workers on one database, though its reading outlasts the lease', async () => {
  const workers = [1, 2].map(() => new JobWorker({ pollMs: 50, leaseMs: LEASE_MS }));
  const { job } = await enqueueJob({ kind: 'sync', site: 'acme' }, { requestedBy: admin });
  const started = Date.now();
  for (const worker of workers) worker.start();
  try {
    const ended = await endedJob(job._id);
    expect(ended.state).toBe('succeeded');
    // Long enough for the other worker to have taken it over several times had the lease not been renewed.
    expect(Date.now() - started).toBeGreaterThan(3 * LEASE_MS);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  expect(readingsBegun()).toBe(1);
  expect(await writesOf(job._id)).toEqual({ plans: 1, chunks: 1, ends: 1, applies: 1, lastSyncWrites: 1 });
});

it('runs a sync once with two worker processes on one database, though its reading outlasts the lease', async () => {
  const { job } = await enqueueJob({ kind: 'sync', site: 'acme' }, { requestedBy: admin });
  const env = {
    ...atlassianEnv(dbName, emulator),
    JOB_LEASE_MS: String(LEASE_MS),
    JOB_POLL_MS: '50',
    LOG_LEVEL: 'warn',
  };
  const workers = [1, 2].map(() => spawnAccounts(['worker'], env));
  const started = Date.now();
  try {
    await Promise.all(workers.map((worker) => waitForOutput(worker, /is running/)));
    expect((await endedJob(job._id)).state).toBe('succeeded');
    expect(Date.now() - started).toBeGreaterThan(3 * LEASE_MS);
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map(exited));
  }
  // This process's command monitoring does not see the workers' writes: the records of the run say it once.
  expect(readingsBegun()).toBe(1);
  const { plans, chunks, ends } = await writesOf(job._id);
  expect({ plans, chunks, ends }).toEqual({ plans: 1, chunks: 1, ends: 1 });
});

it('writes nothing of a reading whose lease another worker took over meanwhile', async () => {
  const stalled = new JobWorker({ pollMs: 50, leaseMs: LEASE_MS });
  const { job } = await enqueueJob({ kind: 'sync', site: 'acme' }, { requestedBy: admin });
  const running = stalled.runUntilIdle();
  while (emulator.calls.length < 5) await sleep(10);
  // What another worker's claim writes, as if this one had stalled past its lease.
  const other = { owner: 'another-worker', until: new Date(Date.now() + 60_000) };
  await Job.updateOne({ _id: job._id }, { $set: { lease: other } });
  await running; // it gives the job up and finds nothing else to claim
  expect(await writesOf(job._id)).toEqual({ plans: 0, chunks: 0, ends: 0, applies: 0, lastSyncWrites: 0 });
  expect((await Job.findById(job._id).lean())?.lease?.owner).toBe('another-worker');
  const readBeforeGivingUp = emulator.calls.length;

  // The other worker's lease lapses (it died too): a third worker runs the sync, once.
  await Job.updateOne({ _id: job._id }, { $set: { 'lease.until': new Date(0) } });
  emulator.delayMs = 0;
  await new JobWorker({ pollMs: 50, leaseMs: LEASE_MS }).runUntilIdle();
  expect((await Job.findById(job._id).lean())?.state).toBe('succeeded');
  expect(await writesOf(job._id)).toEqual({ plans: 1, chunks: 1, ends: 1, applies: 1, lastSyncWrites: 1 });
  // The stalled worker stopped reading at the page after its lease was found lost, not at the end of the site.
  expect(readBeforeGivingUp).toBeLessThan((emulator.calls.length - readBeforeGivingUp) / 2);
});
