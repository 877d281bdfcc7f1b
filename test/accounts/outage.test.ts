import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { findByEmail } from '../../src/accounts/lookup';
import { connectDatabase, disconnectDatabase } from '../../src/db/connection';
import { explainDatabaseError } from '../../src/db/errors';
import { databaseAnswers } from '../../src/health';
import { Job } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { JobWorker } from '../../src/jobs/worker';
import { clearDatabase, loadFixture } from '../support/database';
import { admin } from '../support/jobs';
import { TcpProxy } from '../support/tcpProxy';

/** The database goes away while the process runs: people get one sentence, and work resumes when it is back. */
const target = new URL(process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27017/');
const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 27017) });

beforeAll(async () => {
  const port = await proxy.start();
  await connectDatabase({
    uri: `mongodb://127.0.0.1:${port}/`,
    dbName: `test_outage_${process.pid}`,
    serverSelectionTimeoutMS: 1500,
  });
});
afterAll(async () => {
  proxy.restore();
  await mongoose.connection.dropDatabase();
  await disconnectDatabase();
  await proxy.stop();
});
beforeEach(async () => {
  proxy.restore();
  await clearDatabase();
  await loadFixture();
});

it('answers with one sentence while the database is away, and recovers by itself', async () => {
  proxy.cut();
  const during = await findByEmail('jsmith@abc.com').then(
    () => 'answered',
    (error) => (explainDatabaseError(error) as Error).message,
  );
  expect(during).toBe('The account database cannot be reached right now; nothing was changed. Try again in a minute.');
  expect(await databaseAnswers()).toBe(false); // /healthz: 503
  proxy.restore();
  await expect(findByEmail('jsmith@abc.com')).resolves.toMatchObject({ email: 'jsmith@abc.com' });
  await expect(databaseAnswers()).resolves.toBe(true);
});

it('resumes a job the worker could not run while the database was away', async () => {
  const { job } = await enqueueJob(
    { kind: 'migrate-to-account', site: 'acme', target: { emails: ['jsmith@abc.com'] } },
    { requestedBy: admin },
  );
  const worker = new JobWorker({ pollMs: 50, leaseMs: 2_000 });
  proxy.cut();
  worker.start();
  await sleep(2_000);
  proxy.restore();
  const deadline = Date.now() + 20_000;
  let state = '';
  while (Date.now() < deadline) {
    state = (await Job.findById(job._id).lean())?.state ?? '';
    if (state === 'succeeded') break;
    await sleep(100);
  }
  await worker.stop();
  expect(state).toBe('succeeded');
});
