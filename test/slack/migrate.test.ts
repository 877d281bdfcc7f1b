import { findByEmail } from '../../src/accounts/lookup';
import { AuditEvent, CustomerRequest, PortalCustomer } from '../../src/accounts/models';
import { ENDED_STATES, Job } from '../../src/jobs/models';
import { CALLBACK } from '../../src/slack/actionIds';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';
import { eventually, viewText, waitForNewModal, waitForViewText } from './waiting';

const slackHarness = useSlackHarness('slack_migrate');
beforeEach(resetWorld);

const JSMITH_ON_ACME = 'qm:6513270e-269e-4d37-b2a7-4de452e6b438:d23f0824-128b-4f33-8c5c-7fd0a6a3a450';

/** `/migrate-customer <text>` by `user`; returns the preview modal once it shows the preview. */
async function openPreview(text: string, user = PEOPLE.admin.id) {
  const { slack, emulator } = slackHarness();
  const modal = await waitForNewModal(emulator, user, CALLBACK.migrateCustomer, async () => {
    const result = await slack.slashCommand(user, CHANNELS.general.id, '/migrate-customer', text);
    expect(result.status).toBe(200);
  });
  return { modal, text: viewText(modal) };
}

const jobsNow = () => Job.countDocuments();

const jsmithOnAcme = () => PortalCustomer.findById(JSMITH_ON_ACME).lean();

describe('/migrate-customer', () => {
  it('previews the migration in a modal; Submit queues one job and the worker migrates the customer', async () => {
    const { slack, emulator } = slackHarness();
    const { modal, text } = await openPreview('jsmith@abc.com acme');
    expect(text).toMatch(/Migrate jsmith@abc.com to an Atlassian account on acme/);
    expect(text).toMatch(/moves HELP-1, HELP-2/);
    expect(text).toMatch(/joins the group jira-servicemanagement-customers-acme/);
    expect(text).toMatch(/cannot be undone/);
    expect(text).toMatch(/verified email/);
    expect(modal.submit).toMatchObject({ text: 'Migrate' });

    await slack.submitView(PEOPLE.admin.id, modal.id);
    const queued = await waitForViewText(emulator, modal.id, /is queued/);
    expect(queued).toMatch(/As previewed, 1 customer will change: 2 requests moved/);

    const migrated = await eventually(async () => {
      const profile = await jsmithOnAcme();
      return profile?.status === 'inactive' && profile;
    });
    expect(migrated.migratedTo).toBe((await findByEmail('jsmith@abc.com')).account?.id);
    expect(await jobsNow()).toBe(1);
    const audit = await AuditEvent.findOne({ action: 'job.enqueue' }).lean();
    expect(audit?.actor).toEqual({ kind: 'slack', id: PEOPLE.admin.id, name: PEOPLE.admin.name });
  });

  it('infers the site from the email and says when the account has not verified its email', async () => {
    const { text } = await openPreview('alee@example.org');
    expect(text).toMatch(/Migrate alee@example.org to an Atlassian account on acme/);
    expect(text).toMatch(/has not verified the email of their Atlassian account/);
  });

  it('creates one job for a double submit and for a Slack retry of the submission', async () => {
    const { slack, emulator } = slackHarness();
    const { modal } = await openPreview('jsmith@abc.com acme');
    await Promise.all([slack.submitView(PEOPLE.admin.id, modal.id), slack.submitView(PEOPLE.admin.id, modal.id)]);
    const first = await waitForViewText(emulator, modal.id, /is queued/);
    await slack.submitView(PEOPLE.admin.id, modal.id, {}, { retryNum: 1, retryReason: 'http_timeout' });
    const again = await waitForViewText(emulator, modal.id, /is queued/);
    expect(again).toBe(first);
    expect(await jobsNow()).toBe(1);
    // The one job migrates jsmith once (and ends before the next test resets the directory).
    const ended = await eventually(() => Job.findOne({ state: { $in: ENDED_STATES } }).lean());
    expect(ended.state).toBe('succeeded');
  });

  it('shows what changed instead of applying a preview that went stale', async () => {
    const { slack, emulator } = slackHarness();
    const { modal } = await openPreview('jsmith@abc.com acme');
    await CustomerRequest.create({
      _id: 'acme/HELP-9',
      site: 'acme',
      key: 'HELP-9',
      project: 'HELP',
      reporter: JSMITH_ON_ACME,
      participants: [],
      createdAt: new Date(),
    });
    await slack.submitView(PEOPLE.admin.id, modal.id);
    const changed = await waitForViewText(emulator, modal.id, /directory changed/);
    expect(changed).toMatch(/The directory changed since this preview was made \(requests moved 2 → 3\)/);
    expect(changed).toMatch(/moves HELP-1, HELP-2, HELP-9/);
    expect(await jobsNow()).toBe(0);
    expect((await jsmithOnAcme())?.status).toBe('active');

    // The new preview is the one Submit now confirms.
    await slack.submitView(PEOPLE.admin.id, modal.id);
    await waitForViewText(emulator, modal.id, /As previewed, 1 customer will change: 3 requests moved/);
    expect(await jobsNow()).toBe(1);
    // The job migrates jsmith with HELP-9 (and ends before the next test resets the directory).
    const ended = await eventually(() => Job.findOne({ state: { $in: ENDED_STATES } }).lean());
    expect(ended.state).toBe('succeeded');
    expect((await CustomerRequest.findById('acme/HELP-9').lean())?.reporter).toBe(
      (await findByEmail('jsmith@abc.com')).account?.id,
    );
  });

  it('answers help, no arguments and bad arguments with the usage, in the ack', async () => {
    const { slack } = slackHarness();
    for (const text of ['', 'help']) {
      const result = await slack.slashCommand(PEOPLE.member.id, CHANNELS.general.id, '/migrate-customer', text);
      expect(result.body).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringMatching(/^\*\/migrate-customer <email>… \[site\] \| --invited <site>\*/),
      });
    }
    const bad = await slack.slashCommand(
      PEOPLE.admin.id,
      CHANNELS.general.id,
      '/migrate-customer',
      'jsmith-at-abc.com',
    );
    expect(bad.body).toMatchObject({
      text: '"jsmith-at-abc.com" is not an email address.\nUsage: `/migrate-customer <email>… [site] | --invited <site>`',
    });
    const invited = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/migrate-customer', '--invited');
    expect(invited.body).toMatchObject({ text: expect.stringMatching(/^After --invited, give the site/) });
  });

  it('tells the person in one sentence when the email is on no site', async () => {
    const { slack, emulator } = slackHarness();
    await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/migrate-customer', 'nobody@nowhere.test');
    const reply = await emulator.state.waitForEphemeral(PEOPLE.admin.id, /No active portal-only customer/);
    expect(reply.text).toBe(
      'No active portal-only customer has this email; name the site after the emails: `/migrate-customer <email>… <site>`.',
    );
  });

  it('denies a member without a role in one sentence naming the role, and opens nothing', async () => {
    const { slack, emulator } = slackHarness();
    for (const text of ['jsmith@abc.com acme', 'jsmith@abc.com']) {
      await slack.slashCommand(PEOPLE.member.id, CHANNELS.general.id, '/migrate-customer', text);
    }
    const replies = await emulator.state.waitFor(() => {
      const denials = emulator.state.ephemerals(PEOPLE.member.id).filter((m) => m.text.startsWith('You need'));
      // Each reply follows its ack, so the two may arrive in either order.
      return denials.length === 2 && denials.map((m) => m.text).sort();
    });
    expect(replies).toEqual([
      'You need the site-admin (or org-admin) role to migrate customers; an org-admin can grant it with /accounts-admin.',
      'You need the site-admin on acme (or org-admin) role to migrate customers on acme; an org-admin can grant it with /accounts-admin.',
    ]);
    expect(emulator.state.openViews(PEOPLE.member.id)).toEqual([]);
  });

  it('rejects forged signatures and five-minute-old requests with 401', async () => {
    const { slack, emulator } = slackHarness();
    const opened = emulator.calls.to('views.open').length;
    const forged = await slack.slashCommand(
      PEOPLE.admin.id,
      CHANNELS.general.id,
      '/migrate-customer',
      'jsmith@abc.com',
      {
        signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000',
      },
    );
    const old = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/migrate-customer', 'jsmith@abc.com', {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect([forged.status, old.status]).toEqual([401, 401]);
    expect(emulator.calls.to('views.open')).toHaveLength(opened);
  });
});
