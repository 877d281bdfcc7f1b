import { importedGroupName } from '../../src/accounts/copy';
import { readableText } from '../../src/emulator';
import { processChunk } from '../../src/jobs/chunk';
import { Job, JobItem } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { slackActor } from '../../src/slack/handle';
import { runJobs } from '../support/jobs';
import { PEOPLE, resetWorld, useSlackHarness } from '../support/slack';

// The bot's worker is idle (maxJobs 0): the tests run jobs themselves, so one can stay running.
const slackHarness = useSlackHarness('slack_home', { bot: { workerOptions: { maxJobs: 0 } } });
beforeEach(resetWorld);

const sam = slackActor(PEOPLE.siteAdmin);

/** The person opens the bot's Home tab (Slack sends app_home_opened), and the bot publishes the view. */
async function openHome(user: string): Promise<string> {
  const { slack, emulator } = slackHarness();
  const before = emulator.state.home(user)?.hash;
  expect((await slack.openAppHome(user)).status).toBe(200);
  const home = await emulator.state.waitFor(() => {
    const shown = emulator.state.home(user);
    return shown?.hash !== before && shown;
  });
  return readableText(home);
}

/** A copy acme → acme-eu (an imported group to review, a duplicate) and a batch on acme stopped midway. */
async function busyDirectory() {
  const { job: copy } = await enqueueJob({ kind: 'copy-customers', from: 'acme', to: 'acme-eu' }, { requestedBy: sam });
  await runJobs();
  const { job: batch } = await enqueueJob(
    { kind: 'migrate-to-account', site: 'acme', target: { emails: ['kpatel@example.com', 'jsmith@abc.com'] } },
    { requestedBy: sam },
  );
  await Job.updateOne({ _id: batch._id }, { $set: { state: 'running', startedAt: new Date() } });
  await processChunk(batch, await JobItem.find({ job: batch._id }).sort({ seq: 1 }).limit(1).lean());
  return { copy, batch };
}

describe('App Home', () => {
  it('shows an org-admin the pending approvals, running and recent jobs, and warnings of every site', async () => {
    const { copy, batch } = await busyDirectory();
    const home = await openHome(PEOPLE.admin.id);
    expect(home).toContain('Sites you can see: acme, acme-eu');
    expect(home).toContain(
      `*${importedGroupName('acme', copy._id)}* on acme-eu, imported from acme: 1 member without the Customer role until an approver reviews it`,
    );
    expect(home).toContain(
      `\`${batch._id}\` migrate 2 emails to Atlassian accounts on acme · \`█████░░░░░ 50% · 1 of 2\``,
    );
    expect(home).toMatch(
      new RegExp(`\`${copy._id}\` copy customers of acme to acme-eu · succeeded · \\d+ of \\d+ succeeded`),
    );
    expect(home).toContain(
      '*acme*: 1 customer invited to a product but not migrated (alee@example.org): their Atlassian accounts cannot see the requests they raised. `/migrate-customer --invited acme`',
    );
    expect(home).toContain(
      '*acme-eu*: 1 duplicate, a portal-only profile beside an Atlassian account with access (dmurphy@xyz.com). `/migrate-customer dmurphy@xyz.com acme-eu`',
    );
  });

  it('shows a site-admin only the sites they administer', async () => {
    const { copy, batch } = await busyDirectory();
    const home = await openHome(PEOPLE.siteAdmin.id);
    expect(home).toContain('Sites you can see: acme ·');
    expect(home).toContain('No imported group is waiting for review.');
    expect(home).toContain(batch._id);
    expect(home).not.toContain(copy._id);
    expect(home).toContain('*acme*: 1 customer invited to a product but not migrated');
    expect(home).not.toContain('dmurphy@xyz.com');
  });

  it('tells someone without a role how to get one', async () => {
    const home = await openHome(PEOPLE.member.id);
    expect(home).toContain('You have no role with this bot yet; an org-admin can grant you one with /accounts-admin.');
  });
});
