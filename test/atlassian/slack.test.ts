import { readFile } from 'node:fs/promises';
import { exportSnapshotText } from '../../src/accounts/snapshot/export';
import { connectSite } from '../../src/atlassian/connect';
import type { AtlassianConfig } from '../../src/config';
import { ENDED_STATES, Job } from '../../src/jobs/models';
import { eventually } from '../slack/waiting';
import { type AtlassianEmulator, startAtlassianEmulator } from '../support/atlassianEmulator';
import { FIXTURE, testContext } from '../support/database';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';
import { CREDENTIALS, example } from './support';

/**
 * In Slack: `/accounts-admin sync <site>` runs the sync job in the bot's workers and the site's channels hear its
 * end; write commands on a connected site answer the read-only sentence.
 */
const slackHarness = useSlackHarness('atlassian_slack');
let emulator: AtlassianEmulator;
let config: AtlassianConfig;
let settings: Record<string, string> = {};

beforeAll(async () => {
  emulator = await startAtlassianEmulator(await example(), { ...CREDENTIALS, maxPage: 3 });
  const admin = { baseUrl: emulator.adminBaseUrl, orgId: emulator.org.id, apiKey: CREDENTIALS.adminApiKey };
  const { email, apiToken } = CREDENTIALS;
  config = { email, apiToken, siteBaseUrl: emulator.siteBaseUrl, admin, syncIntervalMinutes: null };
  // The bot's workers read the Atlassian settings from the environment, as in production.
  settings = {
    ATLASSIAN_EMAIL: CREDENTIALS.email,
    ATLASSIAN_API_TOKEN: CREDENTIALS.apiToken,
    ATLASSIAN_SITE_BASE_URL: emulator.siteBaseUrl,
    ATLASSIAN_ADMIN_BASE_URL: emulator.adminBaseUrl,
    ATLASSIAN_ORG_ID: emulator.org.id,
    ATLASSIAN_ADMIN_API_KEY: CREDENTIALS.adminApiKey,
  };
  Object.assign(process.env, settings);
});
afterAll(async () => {
  for (const name of Object.keys(settings)) delete process.env[name];
  await emulator.close();
});
beforeEach(async () => {
  await resetWorld();
  await connectSite('acme', 'acme.atlassian.net', testContext(), config);
});

describe('a connected site in Slack', () => {
  it('syncs on /accounts-admin sync: the example directory already matches its Atlassian site', async () => {
    const { slack, emulator: slackApi } = slackHarness();
    await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/accounts-admin', 'sync acme');
    const reply = await slackApi.state.waitForEphemeral(PEOPLE.admin.id, /Syncing acme/);
    expect(reply.text).toMatch(/^Syncing acme from Atlassian \(job \w+\); subscribed channels hear when it ends\.$/);
    const ended = await slackApi.state.waitForMessage(CHANNELS.team.id, /Synced acme/, 30_000);
    // The directory holds what the site holds: existing records keep their ids (matched by email) and what no
    // public API gives (invitations, migrations, email verification), so nothing is written.
    expect(ended.text).toMatch(
      /^Synced acme from acme\.atlassian\.net in .*: 4 portal-only customers, 6 accounts, 2 groups, 6 requests read; the directory already matched\.$/,
    );
    expect(await exportSnapshotText()).toBe(await readFile(FIXTURE, 'utf8'));
  });

  it('keeps the sync job before the ack, and a Slack retry of the same command finds the same job', async () => {
    const { slack } = slackHarness();
    const first = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/accounts-admin', 'sync acme');
    const jobs = await Job.find({ kind: 'sync' }).lean();
    expect(jobs).toHaveLength(1);
    expect(first.body).toEqual({
      response_type: 'ephemeral',
      text: `Syncing acme from Atlassian (job ${jobs[0]?._id}); subscribed channels hear when it ends.`,
    });
    const retry = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/accounts-admin', 'sync acme', {
      retryOf: first,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(retry.body).toEqual(first.body);
    expect(await Job.countDocuments({ kind: 'sync' })).toBe(1);
    // Typed again (a new trigger): a second sync, which is safe — it reads the site again and finds it matched.
    const typedAgain = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/accounts-admin', 'sync acme');
    expect(typedAgain.body).not.toEqual(first.body);
    const ended = await eventually(async () => {
      const all = await Job.find({ kind: 'sync' }).lean();
      return all.every((job) => ENDED_STATES.includes(job.state)) && all;
    }, 30_000);
    expect(ended.map((job) => job.state)).toEqual(['succeeded', 'succeeded']);
    expect(await exportSnapshotText()).toBe(await readFile(FIXTURE, 'utf8'));
  });

  it('answers a sync of a site that is not connected in the ack, queueing nothing', async () => {
    const { slack } = slackHarness();
    const refused = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/accounts-admin', 'sync acme-eu');
    expect(refused.body).toMatchObject({ text: expect.stringMatching(/^acme-eu is not connected to Atlassian/) });
    expect(await Job.countDocuments({ kind: 'sync' })).toBe(0);
  });

  it('refuses a write on the connected site with one sentence, and still answers a write elsewhere', async () => {
    const { slack, emulator: slackApi } = slackHarness();
    await slack.slashCommand(PEOPLE.siteAdmin.id, CHANNELS.general.id, '/site-access', 'bwong@example.net off acme');
    const refused = await slackApi.state.waitForEphemeral(PEOPLE.siteAdmin.id, /read-only/);
    expect(refused.text).toContain(
      'acme is connected to acme.atlassian.net and read-only here until write-back is released.',
    );
    await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/site-access', 'jsmith@abc.com off acme-eu');
    await slackApi.state.waitForEphemeral(PEOPLE.admin.id, /Turned off jsmith@abc.com's access on acme-eu/);
  });
});
