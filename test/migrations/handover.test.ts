import { setTimeout as sleep } from 'node:timers/promises';
import { PortalCustomer } from '../../src/accounts/models';
import { seedDirectory } from '../../src/accounts/seed';
import { freePort } from '../../src/db/localServer';
import { Job, JobResult } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { clearDatabase, useTestDatabase } from '../support/database';
import { admin } from '../support/jobs';
import { exited, spawnAccounts, uriFor, waitForOutput } from '../support/processes';

/**
 * A rolling deploy: SIGTERM makes a worker process (`accounts worker`) finish its chunk and hand its leased job
 * back at once, so the next worker resumes it without waiting for the lease (a minute here) to lapse.
 */
const { dbName } = useTestDatabase('handover');
const LEASE_MS = 60_000;

const worker = (env: NodeJS.ProcessEnv = {}) =>
  spawnAccounts(['worker'], {
    ...env,
    MONGODB_URI: uriFor(dbName),
    JOB_LEASE_MS: String(LEASE_MS),
    JOB_POLL_MS: '50',
    JOB_CHUNK_SIZE: '5',
    LOG_LEVEL: 'warn',
  });

const done = (job: string) => JobResult.countDocuments({ job });

async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await sleep(25);
  }
}

it('hands a leased job back on SIGTERM; another worker resumes it at once', async () => {
  await clearDatabase();
  await seedDirectory({ customers: 600, seed: 5 });
  const emails = (await PortalCustomer.find({ site: 'globex', status: 'active' }, { email: 1 }).lean()).map(
    (p) => p.email,
  );
  expect(emails.length).toBeGreaterThan(40);
  const { job } = await enqueueJob(
    { kind: 'migrate-to-account', site: 'globex', target: { emails } },
    { requestedBy: admin },
  );

  const metricsPort = await freePort();
  const first = worker({ METRICS_PORT: String(metricsPort) });
  await waitForOutput(first, /is running/);
  await until(async () => (await done(job._id)) > 0, 30_000, 'the first worker migrates some customers');
  // A worker process serves its metrics on METRICS_PORT (it has no other HTTP port).
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(metrics).toMatch(/^accounts_jobs\{kind="migrate-to-account",state="running"\} 1$/m);
  const leased = await Job.findById(job._id).lean();
  expect(leased?.lease?.owner).toMatch(/:\d+:/);
  first.kill('SIGTERM');
  expect(await exited(first)).toBe(0);

  const handedBack = await Job.findById(job._id).lean();
  expect(handedBack?.state).toBe('running');
  expect(handedBack?.lease).toBeNull();
  const doneByFirst = await done(job._id);
  expect(doneByFirst).toBeLessThan(emails.length);

  // Well inside the first worker's lease (a minute), which no longer holds the job.
  const second = worker();
  try {
    await until(async () => (await done(job._id)) > doneByFirst, 20_000, 'the second worker resumes the job');
    const resumed = await Job.findById(job._id).lean();
    expect(resumed?.lease?.owner).not.toBe(leased?.lease?.owner);
  } finally {
    second.kill('SIGTERM');
    await exited(second);
  }
  const after = await Job.findById(job._id).lean();
  expect(after?.state === 'running' ? after.lease : null).toBeNull();
});
