import { readFile } from 'node:fs/promises';
import { exportSnapshotText } from '../../src/accounts/snapshot/export';
import { connectSite } from '../../src/atlassian/connect';
import type { AtlassianConfig } from '../../src/config';
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
