import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { findByEmail } from '../../src/accounts/lookup';
import { connectDatabase, disconnectDatabase } from '../../src/db/connection';
import { explainDatabaseError } from '../../src/db/errors';
import { readableText } from '../../src/emulator';
import { databaseAnswers } from '../../src/health';
import { Job } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { JobWorker } from '../../src/jobs/worker';
import { CALLBACK } from '../../src/slack/actionIds';
import { rolesOf } from '../../src/slack/roles';
import { NOT_SAVED } from '../../views/notice';
import { waitForNewModal, waitForViewText } from '../slack/waiting';
import { clearDatabase, loadFixture } from '../support/database';
import { admin } from '../support/jobs';
import { CHANNELS, PEOPLE, resetWorld, startSlackHarness } from '../support/slack';
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

it('answers a confirmation the database cannot keep in time with "not saved" in the modal; submitting again keeps it once', async () => {
  await resetWorld();
  const { slack, emulator, stop } = await startSlackHarness();
  try {
    const modal = await waitForNewModal(emulator, PEOPLE.admin.id, CALLBACK.migrateCustomer, () =>
      slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/migrate-customer', 'jsmith@abc.com acme'),
    );
    // A database that is gone, and one that hangs: either way the ack comes within Slack's 3 seconds.
    for (const away of [() => proxy.cut(), () => proxy.stall()]) {
      away();
      const refused = await slack.submitView(PEOPLE.admin.id, modal.id);
      expect(refused.response?.status).toBe(200);
      expect(readableText({ blocks: emulator.state.view(modal.id)?.blocks ?? [] })).toContain(NOT_SAVED);
      proxy.cut(); // the hung connections go, as a server restart would end them
      proxy.restore();
    }
    expect(await Job.countDocuments()).toBe(0);

    const kept = await slack.submitView(PEOPLE.admin.id, modal.id);
    expect(kept.outcome.action).toBe('updated');
    await waitForViewText(emulator, modal.id, /is queued/);
    expect(await Job.countDocuments()).toBe(1);
  } finally {
    proxy.restore();
    await stop();
  }
});

it('answers a command whose change the database cannot keep in time with NOT_SAVED in the ack; typing it again keeps it once', async () => {
  await resetWorld();
  const { slack, stop } = await startSlackHarness();
  const grant = () =>
    slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/accounts-admin', `grant <@${PEOPLE.member.id}> viewer`);
  try {
    // A database that is gone, and one that hangs: either way the ack comes within Slack's 3 seconds, and says so.
    for (const away of [() => proxy.cut(), () => proxy.stall()]) {
      away();
      const refused = await grant();
      expect(refused.status).toBe(200);
      expect(refused.body).toEqual({ response_type: 'ephemeral', text: NOT_SAVED });
      proxy.cut(); // the hung connections go, as a server restart would end them
      proxy.restore();
    }
    expect(await rolesOf(PEOPLE.member.id)).toEqual([]);

    const kept = await grant();
    expect(kept.body).toEqual({ response_type: 'ephemeral', text: `<@${PEOPLE.member.id}> now has viewer.` });
    expect((await rolesOf(PEOPLE.member.id)).map((r) => r.role)).toEqual(['viewer']);
  } finally {
    proxy.restore();
    await stop();
  }
});
