import { findByEmail } from '../../src/accounts/lookup';
import { readableText, type StoredMessage } from '../../src/emulator';
import { enqueueJob } from '../../src/jobs/queue';
import { OutboxEvent } from '../../src/outbox';
import { CALLBACK } from '../../src/slack/actionIds';
import { slackActor } from '../../src/slack/handle';
import { grantRole } from '../../src/slack/roles';
import { channelsFor, subscribe } from '../../src/slack/subscriptions';
import { testContext } from '../support/database';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';
import { eventually, waitForNewModal, waitForViewText } from './waiting';

/**
 * Every notification reaches someone, or someone is told it could not: against the real bot, its worker and
 * notifier, and the Slack emulator answering as Slack does when the bot is not in a channel, a channel is
 * archived, or Slack keeps failing.
 */

const OPS = { id: 'C0OPS000001', name: 'ops', is_member: false }; // public, the bot not in it
const SECRET = { id: 'C0SECRET001', name: 'secret', is_private: true, is_member: false };
const OLD = { id: 'C0OLD000001', name: 'old-team', is_archived: true };
const MAX_ATTEMPTS = 3;

const slackHarness = useSlackHarness('slack_delivery', {
  emulator: { channels: [...Object.values(CHANNELS), OPS, SECRET, OLD], rateLimit: false },
  bot: {
    notifierOptions: {
      pollMs: 50,
      leaseMs: 10_000,
      retry: { maxAttempts: MAX_ATTEMPTS, baseMs: 100 },
      reviewReminderMs: 4_000,
    },
  },
});

beforeEach(async () => {
  await resetWorld();
  slackHarness().emulator.faults.clear();
});

const sam = slackActor(PEOPLE.siteAdmin);
const migrateJsmith = () =>
  enqueueJob(
    { kind: 'migrate-to-account', site: 'acme', target: { emails: ['jsmith@abc.com'] } },
    { requestedBy: sam },
  );

const dmOf = (user: string) => slackHarness().emulator.state.dmChannel(user) ?? 'no DM yet';
const inDm = (user: string, match: RegExp) =>
  slackHarness()
    .emulator.state.messages(dmOf(user))
    .filter((m) => match.test(readableText(m)));
const postsTo = (channel: string) =>
  slackHarness()
    .emulator.calls.to('chat.postMessage')
    .filter((call) => call.args.channel === channel);
const settled = async (jobId: string) =>
  eventually(async () => {
    const event = await OutboxEvent.findById(`job:${jobId}`).lean();
    return event && event.delivery.state !== 'pending' && event;
  });

describe('deliveries that cannot reach everyone', () => {
  it('serves the working channel when another answers not_in_channel, never retries it, and tells the requester once', async () => {
    const { emulator } = slackHarness();
    await subscribe(OPS.id, 'acme', 'notifications', testContext());
    const { job } = await migrateJsmith();
    await emulator.state.waitForMessage(CHANNELS.team.id, /Migrated jsmith@abc.com/, 15_000);
    const told = await eventually(async () => inDm(PEOPLE.siteAdmin.id, /could not deliver/)[0]);
    expect(readableText(told)).toContain(`I could not deliver the end of job \`${job._id}\``);
    expect(readableText(told)).toContain(
      `<#${OPS.id}>: Slack answered \`not_in_channel\`. Invite the bot: type \`/invite <@${emulator.config.bot.userId}>\``,
    );

    const event = await settled(job._id);
    expect(event.delivery.state).toBe('undeliverable');
    expect(event.delivery.recipients.find((r) => r.id === OPS.id)).toMatchObject({
      state: 'dead',
      error: 'not_in_channel',
      permanent: true,
      attempts: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // several notifier ticks
    expect(postsTo(OPS.id)).toHaveLength(1);
    expect(inDm(PEOPLE.siteAdmin.id, /could not deliver/)).toHaveLength(1);
    expect(inDm(PEOPLE.siteAdmin.id, /^Migrated jsmith/)).toHaveLength(1);
  });

  it('retries an error a retry may fix, with backoff, then gives it up after the cap and says so', async () => {
    const { emulator } = slackHarness();
    await subscribe(CHANNELS.general.id, 'acme', 'notifications', testContext());
    emulator.faults.inject({
      method: 'chat.postMessage',
      error: 'internal_error',
      times: Number.POSITIVE_INFINITY,
      matches: (args) => args.channel === CHANNELS.general.id,
    });
    const { job } = await migrateJsmith();
    const event = await settled(job._id);
    expect(event.delivery.recipients.find((r) => r.id === CHANNELS.general.id)).toMatchObject({
      state: 'dead',
      error: 'internal_error',
      permanent: false,
      attempts: MAX_ATTEMPTS,
    });
    const attempts = postsTo(CHANNELS.general.id);
    expect(attempts).toHaveLength(MAX_ATTEMPTS);
    // Backoff: each attempt waits longer than the one before (100 ms, then 200 ms).
    const gaps = attempts.slice(1).map((call, i) => call.at.getTime() - (attempts[i]?.at.getTime() ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    expect(emulator.state.messages(CHANNELS.team.id).filter((m) => readableText(m).includes(job._id))).toHaveLength(1);
    const told = await eventually(
      async () => inDm(PEOPLE.siteAdmin.id, new RegExp(`could not deliver.*${job._id}`))[0],
    );
    expect(readableText(told)).toMatch(/Slack kept failing \(`internal_error`\) for 3 attempts/);
  });

  it('tells the org-admins when the requester cannot be reached', async () => {
    const { emulator } = slackHarness();
    await subscribe(OLD.id, 'acme', 'notifications', testContext());
    const leaver = { kind: 'slack' as const, id: 'U0LEAVER001', name: 'lee' };
    // A site-admin of acme when they queued the job (the requester's role is checked again at delivery).
    await grantRole(leaver.id, 'site-admin', 'acme', testContext());
    const { job } = await enqueueJob(
      { kind: 'migrate-to-account', site: 'acme', target: { emails: ['jsmith@abc.com'] } },
      { requestedBy: leaver }, // not in the workspace any more: conversations.open answers user_not_found
    );
    const told = await eventually(async () => inDm(PEOPLE.admin.id, new RegExp(`could not deliver.*${job._id}`))[0]);
    expect(readableText(told)).toContain(`the end of job \`${job._id}\``);
    expect(readableText(told)).toContain(`<@${leaver.id}>: Slack answered \`user_not_found\``);
    expect(readableText(told)).toContain(`<#${OLD.id}>: Slack answered \`is_archived\``);
    expect(emulator.state.messages(CHANNELS.team.id).filter((m) => readableText(m).includes(job._id))).toHaveLength(1);
  });

  it('shows dead deliveries in /migration-status and App Home', async () => {
    const { emulator, slack } = slackHarness();
    await subscribe(OPS.id, 'acme', 'notifications', testContext());
    const { job } = await migrateJsmith();
    await settled(job._id);
    await slack.slashCommand(PEOPLE.siteAdmin.id, CHANNELS.team.id, '/migration-status', '');
    const status = await emulator.state.waitForEphemeral(PEOPLE.siteAdmin.id, /running or queued/);
    expect(readableText(status)).toMatch(
      new RegExp(`Messages not delivered.*end of job \`${job._id}\`.*not_in_channel`, 's'),
    );
    await slack.slashCommand(PEOPLE.siteAdmin.id, CHANNELS.team.id, '/migration-status', job._id);
    const detail = await emulator.state.waitForEphemeral(PEOPLE.siteAdmin.id, new RegExp(`^Job ${job._id}:`));
    expect(readableText(detail)).toMatch(/not_in_channel.*\/invite/s);
    await slack.openAppHome(PEOPLE.siteAdmin.id);
    const home = await emulator.state.waitFor(() => {
      const view = emulator.state.home(PEOPLE.siteAdmin.id);
      const text = view && readableText({ blocks: view.blocks });
      return text?.includes('Messages not delivered') && text;
    });
    expect(home).toMatch(new RegExp(`end of job \`${job._id}\``));
  });
});

describe('/accounts-admin checks, after the ack, that the bot can post in the channel', () => {
  const admin = (text: string) =>
    slackHarness().slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/accounts-admin', text);

  it('joins a public channel it is not in', async () => {
    const { emulator } = slackHarness();
    const ack = await admin(`subscribe <#${OPS.id}|ops> acme`);
    expect(ack.body).toEqual({ response_type: 'ephemeral', text: `<#${OPS.id}> now hears when jobs on acme end.` });
    await eventually(async () => emulator.state.channels().find((c) => c.id === OPS.id)?.is_member);
    expect(emulator.calls.to('conversations.join').filter((c) => c.args.channel === OPS.id).length).toBeGreaterThan(0);
  });

  it('keeps what it acknowledged, then says how to invite it to a private channel, or that one is archived', async () => {
    const { emulator } = slackHarness();
    const approvers = await admin(`approvers <#${SECRET.id}|secret> acme-eu`);
    expect(approvers.body).toMatchObject({
      text: `<#${SECRET.id}> is now the approvers' channel of acme-eu: imported groups to review appear there.`,
    });
    expect(await channelsFor('acme-eu', 'approvals')).toEqual([SECRET.id]);
    const invite = await emulator.state.waitForEphemeral(PEOPLE.admin.id, new RegExp(`I cannot see <#${SECRET.id}>`));
    expect(invite.text).toBe(
      `I cannot see <#${SECRET.id}>: it is private and I am not in it, so nothing I post there arrives. To fix it, type \`/invite <@${emulator.config.bot.userId}>\` in that channel.`,
    );
    await admin(`subscribe <#${OLD.id}|old-team> acme`);
    expect(await channelsFor('acme', 'notifications')).toContain(OLD.id);
    await emulator.state.waitForEphemeral(
      PEOPLE.admin.id,
      `<#${OLD.id}> is archived, so nobody reads what I post there: subscribe a channel people still read, and \`/accounts-admin unsubscribe <#${OLD.id}> acme\` this one.`,
    );
  });
});

describe('reviews of a site with no approvers’ channel', () => {
  it('go by DM to who may approve there; an approver approves from the DM; every card shows the outcome', async () => {
    const { emulator, slack } = slackHarness();
    const ada = slackActor(PEOPLE.admin);
    const { job } = await enqueueJob({ kind: 'copy-customers', from: 'acme', to: 'acme-eu' }, { requestedBy: ada });
    const group = `imported-from-acme-${job._id}`;
    const reviewers = [PEOPLE.admin.id, PEOPLE.approver.id, PEOPLE.approver2.id];
    const cards = await Promise.all(
      reviewers.map((user) =>
        eventually(async () => inDm(user, new RegExp(`Imported group to review: \\*${group}\\*`))[0], 20_000),
      ),
    );

    // The copy's end says where the review went, with a Review button for ada, who may approve.
    const ended = await eventually(async () => inDm(PEOPLE.admin.id, /awaits review by DM/)[0], 20_000);
    expect(readableText(ended)).toContain(
      `The imported group *${group}* awaits review by DM to the 3 people who may approve on acme-eu.`,
    );
    expect(JSON.stringify(ended.blocks)).toContain('"action_id":"group.review"');

    // A reminder follows while it is pending (REVIEW_REMINDER_HOURS, 4 s here).
    await eventually(async () => inDm(PEOPLE.approver.id, /Reminder, waiting since/)[0], 20_000);

    const aprilCard = cards[1] as StoredMessage;
    const modal = await waitForNewModal(emulator, PEOPLE.approver.id, CALLBACK.reviewGroup, () =>
      slack.clickButton(PEOPLE.approver.id, aprilCard, 'group.review'),
    );
    await slack.submitView(PEOPLE.approver.id, modal.id, { decision: 'approve', reason: 'Known EU customers' });
    await waitForViewText(emulator, modal.id, /Approved imported group/);
    const euRoles = (await findByEmail('jsmith@abc.com')).account?.sites.find((s) => s.site === 'acme-eu')?.roles;
    expect(euRoles).toEqual(['customer']);

    // No live-looking Review button is left: every card and reminder, in every DM, shows the outcome.
    await eventually(async () => {
      const live = reviewers.flatMap((user) =>
        emulator.state
          .messages(dmOf(user))
          .filter(
            (m) => readableText(m).includes(group) && JSON.stringify(m.blocks).includes('"action_id":"group.review"'),
          )
          .filter((m) => !/awaits review by DM/.test(readableText(m))),
      );
      return live.length === 0;
    }, 15_000);
    for (const user of reviewers) {
      expect(inDm(user, new RegExp(`Approved by <@${PEOPLE.approver.id}>`)).length).toBeGreaterThan(0);
    }
  });

  it('go by DM too when the approvers’ channel will not take them, and the requester hears why', async () => {
    slackHarness().emulator.change(OPS.id, { is_member: false }); // someone removed the bot from #ops
    await subscribe(OPS.id, 'acme-eu', 'approvals', testContext());
    const ada = slackActor(PEOPLE.admin);
    const { job } = await enqueueJob({ kind: 'copy-customers', from: 'acme', to: 'acme-eu' }, { requestedBy: ada });
    const group = `imported-from-acme-${job._id}`;
    await eventually(
      async () => inDm(PEOPLE.approver.id, new RegExp(`Imported group to review: \\*${group}\\*`))[0],
      20_000,
    );
    const told = await eventually(
      async () =>
        inDm(PEOPLE.admin.id, new RegExp(`could not deliver the review request for the imported group ${group}`))[0],
      20_000,
    );
    expect(readableText(told)).toContain(`<#${OPS.id}>: Slack answered \`not_in_channel\``);
    expect(postsTo(OPS.id).filter((call) => JSON.stringify(call.args).includes(group))).toHaveLength(1);
  });
});
