import { PortalCustomer } from '../../src/accounts/models';
import { seedDirectory } from '../../src/accounts/seed';
import { type SlackEmulator, startSlackEmulator } from '../../src/emulator';
import { Job } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { OutboxClaim, OutboxEvent } from '../../src/outbox';
import { grantRole } from '../../src/slack/roles';
import { testContext, useTestDatabase } from '../support/database';
import { exited, spawnBot, uriFor } from '../support/processes';
import { SIGNING_SECRET } from '../support/slack';
import { eventually } from './waiting';

/**
 * Two full bot processes (`node dist/src/main.js`, workers and notifiers included) on one database, against one
 * Slack emulator: 200 jobs, and each requester's completion DM is posted once per job, counted in the calls
 * Slack received. The requesters are twenty people, so that Slack's pace of one message per second per
 * conversation does not make the test wait minutes.
 */

const { dbName } = useTestDatabase('slack_two_bots');
const JOBS = 200;
const REQUESTERS = Array.from({ length: 20 }, (_, i) => ({
  id: `U0REQ${String(i).padStart(5, '0')}`,
  name: `requester${i}`,
}));

let emulator: SlackEmulator;
const bots: ReturnType<typeof spawnBot>[] = [];

afterAll(async () => {
  for (const bot of await Promise.all(bots)) {
    bot.kill('SIGKILL');
    await exited(bot);
  }
  await emulator?.stop();
});

it('delivers each completion message once with two bot processes on one database', async () => {
  const { sites } = await seedDirectory({ customers: 900, seed: 7, sites: 2 });
  const counts = await Promise.all(sites.map((id) => PortalCustomer.countDocuments({ site: id, status: 'active' })));
  const site = sites[counts.indexOf(Math.max(...counts))] ?? '';
  const profiles = await PortalCustomer.find({ site, status: 'active' }, { email: 1 })
    .sort({ emailKey: 1 })
    .limit(JOBS)
    .lean();
  const emails = profiles.map((p) => p.email);
  expect(emails).toHaveLength(JOBS);
  // Who may migrate on the site: the end DM checks the requester's role again before it is sent.
  for (const requester of REQUESTERS) await grantRole(requester.id, 'site-admin', site, testContext());
  const jobs: string[] = [];
  for (const [i, email] of emails.entries()) {
    const requester = REQUESTERS[i % REQUESTERS.length] ?? REQUESTERS[0];
    const { job } = await enqueueJob(
      { kind: 'migrate-to-account', site, target: { emails: [email] } },
      { requestedBy: { kind: 'slack', id: requester?.id ?? '', name: requester?.name ?? '' } },
    );
    jobs.push(job._id);
  }

  emulator = await startSlackEmulator({ users: REQUESTERS, channels: [], rateLimit: false });
  const env = {
    MONGODB_URI: uriFor(dbName),
    SLACK_BOT_TOKEN: emulator.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emulator.apiUrl,
    JOB_POLL_MS: '100',
    WORKER_MAX_JOBS: '10',
  };
  bots.push(spawnBot(env), spawnBot(env));
  await Promise.all(bots);

  await eventually(async () => (await Job.countDocuments({ endedAt: { $ne: null } })) === JOBS, 1_800_000);
  await eventually(
    async () => (await OutboxEvent.countDocuments({ type: 'job.ended', 'delivery.state': 'delivered' })) === JOBS,
    1_800_000,
  );

  const posted = emulator.calls
    .to('chat.postMessage')
    .filter((call) => call.status === 200 && (call.response as { ok?: boolean }).ok);
  for (const jobId of jobs) {
    const about = posted.filter((call) => JSON.stringify(call.args.blocks ?? '').includes(jobId));
    expect({ jobId, posts: about.length }).toEqual({ jobId, posts: 1 });
  }
  // Both processes took part: each claimed delivery rounds of its own.
  const owners = await OutboxClaim.distinct('owner');
  expect(owners.length).toBe(2);
}, 2_000_000);
