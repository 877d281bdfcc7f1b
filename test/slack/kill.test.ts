import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { GROUP_REVIEWED } from '../../src/accounts/groupReview';
import { findByEmail } from '../../src/accounts/lookup';
import { AuditEvent, ImportedGroupReview, PortalCustomer } from '../../src/accounts/models';
import { readableText, SlackClientSimulator, type SlackEmulator, startSlackEmulator } from '../../src/emulator';
import { ENDED_STATES, Job, type JobDoc, JobResult } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { JobWorker } from '../../src/jobs/worker';
import { OutboxEvent } from '../../src/outbox';
import { CALLBACK } from '../../src/slack/actionIds';
import { rolesOf } from '../../src/slack/roles';
import { subscribe } from '../../src/slack/subscriptions';
import { testContext, useTestDatabase } from '../support/database';
import { exited, ROOT, uriFor } from '../support/processes';
import { CHANNELS, PEOPLE, resetWorld, SIGNING_SECRET } from '../support/slack';
import { eventually, waitForDm, waitForNewModal } from './waiting';

/**
 * Acknowledged means kept: the whole bot (`node dist/src/main.js`) is SIGKILLed right after Slack got the 200
 * of a confirmation, then started again. The confirmed work completes, and its requester is told once. A slash
 * command that changes something (a role, a customer's access) is in the database as soon as its ack is back.
 */
const { dbName } = useTestDatabase('slack_kill');
let emulator: SlackEmulator;

beforeAll(async () => {
  emulator = await startSlackEmulator({ users: Object.values(PEOPLE), channels: Object.values(CHANNELS) });
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await emulator.stop();
});
beforeEach(resetWorld);

const children: ChildProcess[] = [];

/** Starts the bot as `npm start` does, pointed at the emulator; resolves with a simulator for its URL. */
async function startBotProcess(): Promise<{ child: ChildProcess; slack: SlackClientSimulator }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      MONGODB_URI: uriFor(dbName),
      SLACK_BOT_TOKEN: emulator.token,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: emulator.apiUrl,
      BOOTSTRAP_ADMINS: PEOPLE.admin.id,
      PORT: '0',
      HOST: '127.0.0.1',
      JOB_POLL_MS: '25',
      JOB_LEASE_MS: '1000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const listening = /listening on (http:\/\/[^/\s]+)\/slack\/events/.exec(seen);
      if (listening?.[1]) resolve(listening[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`the bot exited: ${seen.slice(-500)}`)));
  });
  return { child, slack: new SlackClientSimulator({ emulator, appUrl: url, signingSecret: SIGNING_SECRET }) };
}

async function kill(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await exited(child);
}

/** The messages in the admin's DM and in #support-team that name the job. */
function messagesAbout(job: string): number {
  const dm = emulator.state.dmChannel(PEOPLE.admin.id);
  const channels = [CHANNELS.team.id, ...(dm ? [dm] : [])];
  return channels.flatMap((channel) => emulator.state.messages(channel)).filter((m) => readableText(m).includes(job))
    .length;
}

/**
 * Opens `command`'s preview, submits it, and SIGKILLs the bot the moment the ack is back; then restarts it and
 * waits for the requester's DM about the job (and for what `lastDm` matches, when the end posts more than one).
 */
async function confirmThenKill(command: string, text: string, callbackId: string, lastDm?: RegExp): Promise<JobDoc> {
  const { child, slack } = await startBotProcess();
  const modal = await waitForNewModal(emulator, PEOPLE.admin.id, callbackId, () =>
    slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, command, text),
  );
  expect(modal.submit).toBeDefined();
  const before = await Job.countDocuments();
  const ack = await slack.submitView(PEOPLE.admin.id, modal.id);
  expect(ack.response?.status ?? 200).toBe(200);
  await kill(child);
  // Kept before the ack: the job is there, whatever the process had time to do after it.
  expect(await Job.countDocuments()).toBe(before + 1);
  const again = await startBotProcess();
  const ended = await eventually(() => Job.findOne({ state: { $in: ENDED_STATES } }).lean(), 30_000);
  await waitForDm(emulator, PEOPLE.admin.id, new RegExp(ended._id), 20_000);
  if (lastDm) await waitForDm(emulator, PEOPLE.admin.id, lastDm, 20_000);
  // Give a duplicate time to arrive, if there were one.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await kill(again.child);
  return ended;
}

it('completes a migration confirmed just before the bot was killed, with one message per recipient', async () => {
  const ended = await confirmThenKill('/migrate-customer', 'jsmith@abc.com acme', CALLBACK.migrateCustomer);
  expect(ended.state).toBe('succeeded');
  expect((await PortalCustomer.findOne({ site: 'acme', email: 'jsmith@abc.com' }).lean())?.status).toBe('inactive');
  expect(messagesAbout(ended._id)).toBe(2); // the requester's DM and #support-team
});

it('completes a mark-portal-only batch confirmed just before the bot was killed', async () => {
  const ended = await confirmThenKill('/mark-portal-only', 'acme', CALLBACK.markPortalOnly);
  expect(ended.state).toBe('succeeded');
  expect(await OutboxEvent.countDocuments({ _id: `job:${ended._id}` })).toBe(1);
  const dm = emulator.state.dmChannel(PEOPLE.admin.id) ?? '';
  expect(emulator.state.messages(dm).filter((m) => readableText(m).includes(ended._id))).toHaveLength(1);
});

it('completes a copy confirmed just before the bot was killed', async () => {
  const ended = await confirmThenKill(
    '/copy-customers',
    'acme acme-eu',
    CALLBACK.copyCustomers,
    /^RequiresAttention.csv of job/,
  );
  expect(ended.state).toBe('succeeded');
  expect(await JobResult.countDocuments({ job: ended._id, state: 'succeeded' })).toBeGreaterThan(0);
  const dm = emulator.state.dmChannel(PEOPLE.admin.id) ?? '';
  const about = emulator.state
    .messages(dm)
    .map(readableText)
    .filter((text) => text.includes(ended._id));
  // One summary, and its RequiresAttention.csv once.
  expect(about.filter((text) => /Copied customers of acme to acme-eu in/.test(text))).toHaveLength(1);
  expect(about.filter((text) => /^RequiresAttention.csv of job/.test(text))).toHaveLength(1);
});

it('applies and announces a review decision submitted just before the bot was killed, once', async () => {
  await subscribe(CHANNELS.approvals.id, 'acme-eu', 'approvals', testContext());
  const admin = { kind: 'slack' as const, id: PEOPLE.admin.id, name: PEOPLE.admin.name };
  const { job } = await enqueueJob({ kind: 'copy-customers', from: 'acme', to: 'acme-eu' }, { requestedBy: admin });
  await new JobWorker({ pollMs: 25 }).runUntilIdle();
  const group = `imported-from-acme-${job._id}`;
  const first = await startBotProcess();
  const card = await emulator.state.waitForMessage(CHANNELS.approvals.id, new RegExp(group), 20_000);
  const modal = await waitForNewModal(emulator, PEOPLE.approver.id, CALLBACK.reviewGroup, () =>
    first.slack.clickButton(PEOPLE.approver.id, card, 'group.review'),
  );
  await first.slack.submitView(PEOPLE.approver.id, modal.id, { decision: 'approve', reason: 'Known EU customers' });
  await kill(first.child);
  expect(await ImportedGroupReview.countDocuments()).toBe(1);

  const again = await startBotProcess();
  const told = new RegExp(`${group} on acme-eu .* was approved`);
  await waitForDm(emulator, PEOPLE.admin.id, told, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await kill(again.child);
  expect(await AuditEvent.countDocuments({ action: 'group.review', target: `acme-eu/${group}` })).toBe(1);
  expect(await OutboxEvent.countDocuments({ type: GROUP_REVIEWED })).toBe(1);
  const dm = emulator.state.dmChannel(PEOPLE.admin.id) ?? '';
  expect(emulator.state.messages(dm).filter((m) => told.test(readableText(m)))).toHaveLength(1);
});

/**
 * Sends a slash command that changes something and SIGKILLs the bot the moment its ack is back: what the ack
 * says was done must be in the database, whatever the process had time to do after it.
 */
async function commandThenKill(user: string, command: string, text: string) {
  const { child, slack } = await startBotProcess();
  const ack = await slack.slashCommand(user, CHANNELS.general.id, command, text);
  await kill(child);
  return ack;
}

it('keeps a role granted with /accounts-admin and acknowledged just before the bot was killed', async () => {
  const ack = await commandThenKill(PEOPLE.admin.id, '/accounts-admin', `grant <@${PEOPLE.member.id}|max> viewer acme`);
  expect(ack.status).toBe(200);
  expect((await rolesOf(PEOPLE.member.id)).map((r) => [r.role, r.site])).toEqual([['viewer', 'acme']]);
  expect(await AuditEvent.countDocuments({ action: 'role.grant', target: PEOPLE.member.id })).toBe(1);
  expect(ack.body).toEqual({ response_type: 'ephemeral', text: `<@${PEOPLE.member.id}> now has viewer on acme.` });
});

it('keeps a site access turned off with /site-access and acknowledged just before the bot was killed', async () => {
  const ack = await commandThenKill(PEOPLE.siteAdmin.id, '/site-access', 'bwong@example.net off acme');
  expect(ack.status).toBe(200);
  const account = (await findByEmail('bwong@example.net')).account;
  expect(account?.sites.find((s) => s.site === 'acme')?.siteAccess).toBe(false);
  expect(await AuditEvent.countDocuments({ action: 'site-access.off', target: 'bwong@example.net' })).toBe(1);
  expect(ack.body).toEqual({ response_type: 'ephemeral', text: "Turned off bwong@example.net's access on acme." });
});

it('drains on SIGTERM: refuses new requests with 503, hands its jobs back and exits within 10 seconds', async () => {
  const { child, slack } = await startBotProcess();
  const modal = await waitForNewModal(emulator, PEOPLE.admin.id, CALLBACK.markPortalOnly, () =>
    slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/mark-portal-only', 'acme'),
  );
  await slack.submitView(PEOPLE.admin.id, modal.id);
  const started = Date.now();
  child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 100));
  // Once it has the signal, what arrives is turned away (503, or no connection) for Slack to retry elsewhere.
  const during = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/migration-status', '').then(
    (result) => result.status,
    () => 'no connection',
  );
  expect([503, 'no connection']).toContain(during);
  expect(await exited(child)).toBe(0);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await Job.countDocuments({ lease: { $ne: null }, state: { $nin: ENDED_STATES } })).toBe(0);
});
