import { WebClient } from '@slack/web-api';
import { createImportedGroup, requestGroupReview } from '../../src/accounts/groupReview';
import { siteWarnings } from '../../src/accounts/siteWarnings';
import { readableText, type SlackEmulator, startSlackEmulator } from '../../src/emulator';
import { processChunk } from '../../src/jobs/chunk';
import type { JobRequest } from '../../src/jobs/kinds';
import { Job, JobItem } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { OutboxEvent } from '../../src/outbox';
import { ACTION, CALLBACK } from '../../src/slack/actionIds';
import { SHORT_RETRIES } from '../../src/slack/app';
import { slackActor } from '../../src/slack/handle';
import { Notifier, type NotifierOptions } from '../../src/slack/notifier';
import { eventHandlers, tickers } from '../../src/slack/notifier/handlers';
import { REVIEW_REMINDER } from '../../src/slack/notifier/undelivered';
import { grantRole, revokeRole } from '../../src/slack/roles';
import { subscribe } from '../../src/slack/subscriptions';
import { testContext, useTestDatabase } from '../support/database';
import { runJobs } from '../support/jobs';
import { CHANNELS, PEOPLE, resetWorld, type SlackHarness, startSlackHarness } from '../support/slack';
import { eventually } from './waiting';

useTestDatabase('slack_notifications');
beforeEach(resetWorld);

const team = CHANNELS.team.id;
const sam = slackActor(PEOPLE.siteAdmin);
const ACME_THREE = ['kpatel@example.com', 'jsmith@abc.com', 'alee@example.org'];

const migrateOnAcme = (emails: string[]): JobRequest => ({
  kind: 'migrate-to-account',
  site: 'acme',
  target: { emails },
});

/** Messages in a channel about one job (its id is in every job message). */
const about = (emulator: SlackEmulator, channel: string, jobId: string) =>
  emulator.state.messages(channel).filter((m) => readableText(m).includes(jobId));

const dmOf = (emulator: SlackEmulator, user: string) => emulator.state.dmChannel(user) ?? 'no DM yet';

/** What a worker does before the rest of a batch: it starts the job and applies a first chunk. */
async function startBatch(emails: string[]) {
  const { job } = await enqueueJob(migrateOnAcme(emails), { requestedBy: sam });
  await Job.updateOne({ _id: job._id }, { $set: { state: 'running', startedAt: new Date() } });
  const first = await JobItem.find({ job: job._id }).sort({ seq: 1 }).limit(1).lean();
  await processChunk(job, first);
  return job;
}

describe('completion notifications from the running bot', () => {
  let harness: SlackHarness;
  beforeAll(async () => {
    // The bot's worker is idle (maxJobs 0): each test runs its jobs itself, so it can stop a batch midway.
    harness = await startSlackHarness({
      bot: { workerOptions: { maxJobs: 0 }, notifierOptions: { pollMs: 50, leaseMs: 60_000 } },
    });
  });
  afterAll(() => harness.stop());

  it('tells the requester in a DM and the site’s channel what happened, to whom, the counts and the duration', async () => {
    const { emulator } = harness;
    const { job } = await enqueueJob(migrateOnAcme(['jsmith@abc.com']), { requestedBy: sam });
    await runJobs();
    const sentence =
      /^Migrated jsmith@abc\.com to an Atlassian account on acme in (less than a second|\d+ seconds?): 2 requests moved, added to jira-servicemanagement-customers-acme\.$/;
    const inChannel = await emulator.state.waitForMessage(team, (m) => sentence.test(m.text));
    const dm = await emulator.state.waitForMessage(dmOf(emulator, PEOPLE.siteAdmin.id), (m) => sentence.test(m.text));
    expect(readableText(inChannel)).toContain(`Job \`${job._id}\` · requested by <@${PEOPLE.siteAdmin.id}>`);
    expect(readableText(dm)).toContain(`/migration-status ${job._id}`);
    expect(about(emulator, team, job._id)).toHaveLength(1);
    expect(about(emulator, CHANNELS.general.id, job._id)).toHaveLength(0); // #general is not subscribed to acme
  });

  it('checks the requester’s role again at the end: revoked since, they get no DM; the channel still hears', async () => {
    const { emulator } = harness;
    const { job } = await enqueueJob(migrateOnAcme(['jsmith@abc.com']), { requestedBy: sam });
    await revokeRole(PEOPLE.siteAdmin.id, 'site-admin', 'acme', testContext());
    await runJobs();
    await emulator.state.waitForMessage(team, (m) => readableText(m).includes(job._id));
    await eventually(async () => (await OutboxEvent.findById(`job:${job._id}`).lean())?.delivery.state === 'delivered');
    const dm = emulator.state.dmChannel(PEOPLE.siteAdmin.id);
    expect(dm === undefined ? [] : about(emulator, dm, job._id)).toHaveLength(0);
  });

  it('keeps one message per channel for a batch: its progress bar, updated in place, then the summary', async () => {
    const { emulator } = harness;
    const job = await startBatch(ACME_THREE);
    const progress = await emulator.state.waitForMessage(
      team,
      (m) => m.text === `Job ${job._id} is under way: 1 of 3 done.`,
    );
    expect(readableText(progress)).toContain('███████░░░░░░░░░░░░░ 33% · 1 of 3');

    await runJobs();
    const summary =
      /^Migrated 3 of 3 customers to Atlassian accounts on acme in .+: 3 requests moved, 1 account created\.$/;
    const ended = await emulator.state.waitForMessage(team, (m) => summary.test(m.text));
    expect(ended.ts).toBe(progress.ts);
    expect(about(emulator, team, job._id)).toHaveLength(1);
    expect(ended.versions[0]?.text).toMatch(/is under way/);
    // The requester hears once, at the end, not once per customer.
    await emulator.state.waitForMessage(dmOf(emulator, PEOPLE.siteAdmin.id), (m) => summary.test(m.text));
    expect(about(emulator, dmOf(emulator, PEOPLE.siteAdmin.id), job._id)).toHaveLength(1);
  });

  it('shares RequiresAttention.csv of a copy, and its Fix duplicates button previews migrating them', async () => {
    const { emulator, slack } = harness;
    await subscribe(team, 'acme-eu', 'notifications', testContext());
    // A copy is requested by an admin of both sites.
    await grantRole(PEOPLE.siteAdmin.id, 'site-admin', 'acme-eu', testContext());
    const { job } = await enqueueJob({ kind: 'copy-customers', from: 'acme', to: 'acme-eu' }, { requestedBy: sam });
    await runJobs();

    const file = await emulator.state.waitFor(() =>
      emulator.state.files(team).find((f) => f.initialComment?.includes(job._id)),
    );
    expect(file.name).toBe('RequiresAttention.csv');
    const csv = file.bytes.toString('utf8');
    expect(csv).toContain(
      'Customer email,Account type on source,Account type on destination,Account type after copying,Problem,Next step',
    );
    expect(csv).toContain(
      'dmurphy@xyz.com,Atlassian account,Portal-only,Portal-only and Atlassian account,Found duplicate accounts on destination,Upgrade portal-only account to Atlassian account',
    );
    expect(file.initialComment).toMatch(/customers of acme to acme-eu: 2 customers to act on/);
    // The requester gets the report too, in the DM with the summary.
    await emulator.state.waitFor(() => emulator.state.files(dmOf(emulator, PEOPLE.siteAdmin.id)).length > 0);

    const summary = await emulator.state.waitForMessage(team, /^Copied customers of acme to acme-eu/);
    expect(summary.text).toMatch(/1 duplicate to fix/);
    await slack.clickButton(PEOPLE.admin.id, summary, ACTION.fixDuplicates);
    const preview = await emulator.state.waitForModal(PEOPLE.admin.id, CALLBACK.fixDuplicates);
    expect(readableText(preview)).toContain('Migrate dmurphy@xyz.com to an Atlassian account on acme-eu.');

    await slack.submitView(PEOPLE.admin.id, preview.id);
    await emulator.state.waitFor(() => /is queued/.test(readableText(emulator.state.view(preview.id) ?? preview)));
    await runJobs();
    expect((await siteWarnings('acme-eu')).duplicates.count).toBe(0);
  });

  it('answers a site-admin of another site, clicking Fix duplicates, as if the job did not exist', async () => {
    const { emulator, slack } = harness;
    await subscribe(team, 'acme-eu', 'notifications', testContext());
    const { job } = await enqueueJob({ kind: 'copy-customers', from: 'acme', to: 'acme-eu' }, { requestedBy: sam });
    await runJobs();
    const summary = await emulator.state.waitForMessage(
      team,
      (m) => readableText(m).includes(job._id) && /duplicate to fix/.test(m.text),
    );
    await slack.clickButton(PEOPLE.siteAdmin.id, summary, ACTION.fixDuplicates);
    const denial = await emulator.state.waitForEphemeral(PEOPLE.siteAdmin.id, /There is no job/);
    expect(denial.text).toBe(`There is no job "${job._id}".`);
  });
});

describe('delivery across restarts and rate limits', () => {
  let emulator: SlackEmulator;
  const notifiers: Notifier[] = [];

  async function startEmulator(rateLimit?: { perSecond: number; burst: number }) {
    emulator = await startSlackEmulator({
      users: Object.values(PEOPLE),
      channels: Object.values(CHANNELS),
      ...(rateLimit ? { rateLimit } : {}),
    });
  }

  /** A notifier as the bot starts one; each new one is a restart (nothing carried over in memory). */
  function newNotifier(options: Partial<NotifierOptions> = {}): Notifier {
    const client = new WebClient(emulator.token, { slackApiUrl: emulator.apiUrl, retryConfig: SHORT_RETRIES });
    const notifier = new Notifier(client, eventHandlers, tickers, { pollMs: 50, leaseMs: 60_000, ...options });
    notifiers.push(notifier);
    return notifier;
  }

  /** Stops a notifier, as its process would on shutdown. */
  async function stop(notifier: Notifier) {
    notifiers.splice(notifiers.indexOf(notifier), 1);
    await notifier.stop();
  }

  afterEach(async () => {
    for (const notifier of notifiers.splice(0)) await notifier.stop();
    await emulator.stop();
  });

  it('serves each recipient once when a delivery fails midway and a restarted notifier finishes', async () => {
    await startEmulator();
    const flaky = CHANNELS.general.id; // Slack fails its post once; the DM and #support-team get theirs
    await subscribe(flaky, 'acme', 'notifications', testContext());
    emulator.faults.inject({
      method: 'chat.postMessage',
      error: 'internal_error',
      times: 1,
      matches: (args) => args.channel === flaky,
    });
    const { job } = await enqueueJob(migrateOnAcme(['jsmith@abc.com']), { requestedBy: sam });
    await runJobs();

    const first = newNotifier();
    await first.tick();
    await stop(first);
    const failed = await OutboxEvent.findById(`job:${job._id}`).lean();
    expect(failed?.delivery.state).toBe('pending');
    expect(failed?.delivery.recipients.map((r) => [r.id, r.state, r.error])).toEqual([
      [PEOPLE.siteAdmin.id, 'sent', null],
      [flaky, 'retrying', 'internal_error'],
      [team, 'sent', null],
    ]);

    // As if its backoff had passed.
    await OutboxEvent.updateOne({ _id: failed?._id }, { $set: { 'delivery.nextAttemptAt': new Date() } });
    await newNotifier().tick();
    expect((await OutboxEvent.findById(`job:${job._id}`).lean())?.delivery.state).toBe('delivered');
    expect(about(emulator, team, job._id)).toHaveLength(1);
    expect(about(emulator, flaky, job._id)).toHaveLength(1);
    expect(about(emulator, dmOf(emulator, PEOPLE.siteAdmin.id), job._id)).toHaveLength(1);
  });

  it('reminds a pending review once per period, however many notifiers tick at once', async () => {
    await startEmulator();
    const name = 'imported-from-acme-jremind1';
    const context = { actor: sam, correlationId: 'jremind1' };
    await createImportedGroup('acme', 'acme-eu', name, context);
    await requestGroupReview('acme-eu', name, context);
    const HOUR = 3_600_000;
    await newNotifier({ reviewReminderMs: HOUR }).tick(); // acme-eu has no approvers' channel: the cards go by DM
    const cards = () =>
      emulator.state.messages(dmOf(emulator, PEOPLE.approver.id)).filter((m) => m.text.includes(name));
    expect(cards()).toHaveLength(1);

    // As if an hour and a half had passed since the request: the first period is due.
    await OutboxEvent.updateOne(
      { _id: `group-review-requested:acme-eu/${name}` },
      { $set: { 'payload.requestedAt': new Date(Date.now() - 1.5 * HOUR) } },
    );
    const notifiers = [newNotifier({ reviewReminderMs: HOUR }), newNotifier({ reviewReminderMs: HOUR })];
    await Promise.all(notifiers.map((n) => n.tick())); // both see the period: one reminder is recorded
    await Promise.all(notifiers.map((n) => n.tick())); // and delivered once
    expect(await OutboxEvent.countDocuments({ type: REVIEW_REMINDER })).toBe(1);
    expect(cards().map((m) => m.text)).toEqual([
      `Imported group ${name} on acme-eu awaits review.`,
      `Reminder: imported group ${name} on acme-eu awaits review.`,
    ]);
  });

  it('updates the same batch message after a restart: its place is in the database', async () => {
    await startEmulator();
    const job = await startBatch(ACME_THREE);
    const before = newNotifier();
    await before.tick();
    await stop(before);
    const progress = await emulator.state.waitForMessage(team, `Job ${job._id} is under way: 1 of 3 done.`);

    await runJobs();
    await newNotifier().tick();
    const [message, ...others] = about(emulator, team, job._id);
    expect(others).toHaveLength(0);
    expect(message?.ts).toBe(progress.ts);
    expect(message?.text).toMatch(/^Migrated 3 of 3 customers/);
  });

  it('waits out 429 Retry-After and delivers every message once', async () => {
    // Slower than the notifier's own pace of one message per second: Slack answers 429 with Retry-After.
    await startEmulator({ perSecond: 0.5, burst: 1 });
    const jobs: string[] = [];
    for (const email of ACME_THREE) {
      const { job } = await enqueueJob(migrateOnAcme([email]), { requestedBy: sam });
      jobs.push(job._id);
    }
    await runJobs();
    await newNotifier().tick();

    const refused = emulator.calls.to('chat.postMessage').filter((call) => call.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    const events = await OutboxEvent.find({ _id: { $in: jobs.map((id) => `job:${id}`) } }).lean();
    expect(events.map((e) => e.delivery.state)).toEqual(['delivered', 'delivered', 'delivered']);
    for (const id of jobs) {
      expect(about(emulator, team, id)).toHaveLength(1);
      expect(about(emulator, dmOf(emulator, PEOPLE.siteAdmin.id), id)).toHaveLength(1);
    }
  });
});
