import { readableText } from '../../src/emulator';
import { processChunk } from '../../src/jobs/chunk';
import { Job, JobItem } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { slackActor } from '../../src/slack/handle';
import { runJobs } from '../support/jobs';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';

// The bot's worker is idle (maxJobs 0): the tests run jobs themselves, so one can stay running.
const slackHarness = useSlackHarness('slack_status', { bot: { workerOptions: { maxJobs: 0 } } });
beforeEach(resetWorld);

const sam = slackActor(PEOPLE.siteAdmin);
const migrateOnAcme = (emails: string[]) =>
  enqueueJob({ kind: 'migrate-to-account', site: 'acme', target: { emails } }, { requestedBy: sam });

async function statusFor(user: string, text: string, expected: RegExp): Promise<string> {
  const { slack, emulator } = slackHarness();
  await slack.slashCommand(user, CHANNELS.general.id, '/migration-status', text);
  const reply = await emulator.state.waitForEphemeral(user, (m) => expected.test(readableText(m)));
  return readableText(reply);
}

describe('/migration-status', () => {
  it('lists running jobs with their progress and recent ones with their state and duration', async () => {
    const { job: ended } = await migrateOnAcme(['jsmith@abc.com']);
    await runJobs();
    const { job: running } = await migrateOnAcme(['kpatel@example.com', 'alee@example.org']);
    await Job.updateOne({ _id: running._id }, { $set: { state: 'running', startedAt: new Date() } });
    await processChunk(running, await JobItem.find({ job: running._id }).sort({ seq: 1 }).limit(1).lean());

    const text = await statusFor(PEOPLE.siteAdmin.id, '', new RegExp(running._id));
    expect(text).toContain(
      `\`${running._id}\` migrate 2 emails to Atlassian accounts on acme · \`█████░░░░░ 50% · 1 of 2\` · `,
    );
    expect(text).toMatch(
      new RegExp(
        `\`${ended._id}\` migrate jsmith@abc.com to an Atlassian account on acme · succeeded · 1 of 1 succeeded · took (less than a second|\\d+ seconds?) · ended <!date\\^`,
      ),
    );
  });

  it('shows one job with each customer’s result, refusals first with their reasons', async () => {
    const { job } = await migrateOnAcme(['jsmith@abc.com', 'rgarcia@example.es']);
    await runJobs();
    const text = await statusFor(PEOPLE.admin.id, job._id, new RegExp(`Job ${job._id}`));
    expect(text).toContain('State:* partly-succeeded');
    expect(text).toContain('1 of 2 succeeded, 1 refused');
    expect(text).toMatch(
      /• \*rgarcia@example\.es\* refused: .*acme.*\n• \*jsmith@abc\.com\* succeeded · added to jira-servicemanagement-customers-acme/,
    );
  });

  it('sends every customer of a job as a CSV in a DM, its cells safe from formula injection', async () => {
    const { slack, emulator } = slackHarness();
    const { job } = await migrateOnAcme(['jsmith@abc.com', 'rgarcia@example.es', '+cmd@example.com']);
    await runJobs();
    const answer = await statusFor(PEOPLE.siteAdmin.id, `${job._id} csv`, /customers\.csv/);
    expect(answer).toBe(`${job._id}-customers.csv is in your DM with the bot.`);
    const dm = emulator.state.dmChannel(PEOPLE.siteAdmin.id) ?? 'no DM';
    const file = await emulator.state.waitFor(() => emulator.state.files(dm).find((f) => f.name.includes(job._id)));
    const rows = file.bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(rows[0]).toBe('Customer email,Result,Reason');
    expect(rows.slice(1)).toEqual([
      'jsmith@abc.com,succeeded,',
      expect.stringMatching(/^rgarcia@example\.es,refused,.*acme/),
      expect.stringMatching(/^'\+cmd@example\.com,refused,/),
    ]);

    const malformed = await slack.slashCommand(
      PEOPLE.admin.id,
      CHANNELS.general.id,
      '/migration-status',
      `${job._id} pdf`,
    );
    expect(malformed.body).toMatchObject({ text: expect.stringMatching(/^Give at most one job id, and csv after it/) });
  });

  it('answers a malformed job id in the ack, and an unknown one with a sentence', async () => {
    const { slack } = slackHarness();
    const malformed = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/migration-status', 'job-42');
    expect(malformed.body).toMatchObject({
      text: '"job-42" is not a job id; job ids look like j4k9m2x7.\nUsage: `/migration-status [job [csv]]`',
    });
    const text = await statusFor(PEOPLE.admin.id, 'jzzzzzzz', /no job/);
    expect(text).toBe('There is no job "jzzzzzzz".');
  });

  it('denies someone without a role, and a site-admin a job of another site', async () => {
    const denied = await statusFor(PEOPLE.member.id, '', /You need/);
    expect(denied).toBe(
      'You need the viewer (or org-admin) role to see jobs; an org-admin can grant it with /accounts-admin.',
    );
    const { job } = await enqueueJob(
      { kind: 'migrate-to-account', site: 'acme-eu', target: { emails: ['rgarcia@example.es'] } },
      { requestedBy: sam },
    );
    // A job on a site the person may not read is answered as one that does not exist: its id reveals nothing.
    const elsewhere = await statusFor(PEOPLE.siteAdmin.id, job._id, /There is no job/);
    expect(elsewhere).toBe(`There is no job "${job._id}".`);
  });
});
