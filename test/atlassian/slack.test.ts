import { readFile } from 'node:fs/promises';
import { exportSnapshotText } from '../../src/accounts/snapshot/export';
import { connectSite } from '../../src/atlassian/connect';
import { readableText } from '../../src/emulator';
import { ENDED_STATES, Job } from '../../src/jobs/models';
import { eventually } from '../slack/waiting';
import { FIXTURE, testContext } from '../support/database';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';
import { emulatorConfig, useAtlassianEmulator } from './support';

/**
 * In Slack: `/accounts-admin sync <site>` runs the sync job in the bot's workers and the site's channels see it
 * in one message, what it has read while it reads and then its end; write commands on a connected site answer
 * the read-only sentence.
 */
const slackHarness = useSlackHarness('atlassian_slack');
const atlassian = useAtlassianEmulator({ maxPage: 3 });
jest.setTimeout(90_000);

beforeEach(async () => {
  await resetWorld();
  await connectSite('acme', 'acme.atlassian.net', testContext(), emulatorConfig(atlassian()));
  atlassian().delayMs = 0;
});

type Ephemeral = ReturnType<ReturnType<typeof slackHarness>['emulator']['state']['ephemerals']>[number];

/** The org-admin types a command; returns its first ephemeral answer that `matches` (earlier tests' stay). */
async function answerTo(command: string, text: string, matches: (message: Ephemeral) => boolean) {
  const { slack, emulator: slackApi } = slackHarness();
  const before = slackApi.state.ephemerals(PEOPLE.admin.id).length;
  await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, command, text);
  return slackApi.state.waitFor(() => slackApi.state.ephemerals(PEOPLE.admin.id).slice(before).find(matches));
}

/** Runs `/accounts-admin sync acme` as the org-admin; returns the job's id from the ack. */
async function syncAcme(): Promise<string> {
  const reply = await answerTo('/accounts-admin', 'sync acme', (m) => m.text.startsWith('Syncing acme'));
  expect(reply.text).toMatch(/^Syncing acme from Atlassian \(job \w+\); subscribed channels hear when it ends\.$/);
  return /\(job (\w+)\)/.exec(reply.text)?.[1] ?? '';
}

describe('a connected site in Slack', () => {
  it('syncs on /accounts-admin sync: the example directory already matches its Atlassian site', async () => {
    const { emulator: slackApi } = slackHarness();
    await syncAcme();
    const ended = await slackApi.state.waitForMessage(CHANNELS.team.id, /Synced acme/, 30_000);
    // The directory holds what the site holds: existing records keep their ids (matched by email) and what no
    // public API gives (invitations, migrations, email verification), so nothing is written.
    expect(ended.text).toMatch(
      /^Synced acme from acme\.atlassian\.net in .*: 4 portal-only customers, 6 accounts, 2 groups, 6 requests read; the directory already matched\.$/,
    );
    expect(await exportSnapshotText()).toBe(await readFile(FIXTURE, 'utf8'));
  });

  it('says on /customer which sync last saw each record of the connected site', async () => {
    const { emulator: slackApi } = slackHarness();
    const job = await syncAcme();
    await slackApi.state.waitForMessage(
      CHANNELS.team.id,
      (m) => m.text.startsWith('Synced acme') && readableText(m).includes(job),
      30_000,
    );
    const card = await answerTo('/customer', 'alee@example.org', (m) => readableText(m).includes('Alex Lee'));
    const text = readableText({ blocks: card.blocks ?? [] });
    const seen = `last seen by sync \`${job}\` \\(read [^)]+\\)`;
    // Her portal-only profile and her account's entry, both on acme.
    expect(text).toMatch(new RegExp(`Portal-only on acme\\*.*\\n.*${seen}`));
    expect(text).toMatch(new RegExp(`\\*acme\\*: has access.* · ${seen}`));
    expect(text.match(/last seen by sync/g)).toHaveLength(2);
  });

  it('shows the sync in one message, updated in place with what it has read so far, then its summary', async () => {
    const { emulator: slackApi } = slackHarness();
    // Each Atlassian call answered late: the reading takes several seconds, as a real site's does.
    atlassian().delayMs = 200;
    const job = await syncAcme();
    const ended = await slackApi.state.waitForMessage(
      CHANNELS.team.id,
      (m) => m.text.startsWith('Synced acme') && readableText(m).includes(job),
      60_000,
    );
    const messages = slackApi.state.messages(CHANNELS.team.id).filter((m) => readableText(m).includes(job));
    expect(messages.map((m) => m.ts)).toEqual([ended.ts]);

    // Posted while it read, updated in place (chat.update of the same ts) as it read more, then the summary.
    const versions = ended.versions.map((v) => v.text);
    const reading = versions.slice(0, -1);
    expect(reading.length).toBeGreaterThanOrEqual(2);
    for (const text of reading) {
      expect(text).toMatch(
        new RegExp(
          `^Job ${job} is under way: (Reading [a-z ]+ from acme\\.atlassian\\.net|Comparing what was read from acme\\.atlassian\\.net with the directory); so far \\d+ desks?, \\d+ customers?, \\d+ users?, \\d+ groups?, \\d+ requests?\\.$`,
        ),
      );
    }
    const readSoFar = (text: string) => [...text.matchAll(/(\d+) [a-z]+/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(readSoFar(reading.at(-1) ?? '')).toBeGreaterThan(readSoFar(reading[0] ?? ''));
    expect(versions.at(-1)).toMatch(
      /^Synced acme from acme\.atlassian\.net in .*: 4 portal-only customers, 6 accounts/,
    );
    expect(readableText(ended)).not.toContain('under way');
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
