import { readableText } from '../../src/emulator';
import { Job } from '../../src/jobs/models';
import { enqueueJob } from '../../src/jobs/queue';
import { ACTION, CALLBACK, nthActionId } from '../../src/slack/actionIds';
import { admin } from '../support/jobs';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';
import { eventually, viewText, waitForNewModal } from './waiting';

const slackHarness = useSlackHarness('slack_customer');
beforeEach(resetWorld);

describe('/customer', () => {
  it('shows every profile of an email as a card, with warnings and next actions', async () => {
    const { slack, emulator } = slackHarness();
    const result = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/customer', 'alee@example.org');
    expect(result.status).toBe(200);
    const reply = await emulator.state.waitForEphemeral(PEOPLE.admin.id, /alee@example.org/);
    const text = readableText({ blocks: reply.blocks ?? [] });
    expect(text).toMatch(/Portal-only on acme.*Alex Lee.*Active.*1 request/);
    expect(text).toMatch(/Atlassian account.*2e44158bae97ba94d0eda82f/);
    expect(text).toMatch(/invited to a product but not migrated on acme/);
    expect(text).toMatch(/email alee@example.org is not verified/);
    expect(text).toMatch(/Migrate to Atlassian account \(acme\)/);
  });

  it("opens the migration preview from the card's buttons, for the customer and site the card shows", async () => {
    const { slack, emulator } = slackHarness();
    await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/customer', 'jsmith@abc.com');
    const card = await emulator.state.waitForEphemeral(PEOPLE.admin.id, /jsmith@abc.com/);
    const migrate = await waitForNewModal(emulator, PEOPLE.admin.id, CALLBACK.migrateCustomer, async () => {
      await slack.clickButton(PEOPLE.admin.id, card, ACTION.migrate);
    });
    expect(viewText(migrate)).toMatch(/Migrate jsmith@abc.com to an Atlassian account on acme/);

    await slack.closeView(PEOPLE.admin.id, migrate.id);
    await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/customer', 'bwong@example.net');
    const accountCard = await emulator.state.waitForEphemeral(PEOPLE.admin.id, /bwong@example.net/);
    const portalOnly = await waitForNewModal(emulator, PEOPLE.admin.id, CALLBACK.makePortalOnly, async () => {
      await slack.clickButton(PEOPLE.admin.id, accountCard, ACTION.makePortalOnly);
    });
    expect(viewText(portalOnly)).toMatch(/bwong@example.net/);
    expect(viewText(portalOnly)).toMatch(/acme/);
  });

  it('answers for a migrated customer with a card Slack accepts, one button per site', async () => {
    const { slack, emulator } = slackHarness();
    // jsmith@abc.com has an account with access on acme-eu; once migrated on acme it has access on both.
    const { job } = await enqueueJob(
      { kind: 'migrate-to-account', site: 'acme', target: { emails: ['jsmith@abc.com'] } },
      { requestedBy: admin },
    );
    // The bot's own worker runs it.
    const ended = await eventually(async () => {
      const current = await Job.findById(job._id).lean();
      return current?.endedAt ? current : null;
    });
    expect(ended.state).toBe('succeeded');
    const before = emulator.state.ephemerals(PEOPLE.admin.id).length;
    await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/customer', 'JSmith@ABC.com');
    const reply = await emulator.state.waitFor(
      () => emulator.state.ephemerals(PEOPLE.admin.id)[before],
      10_000,
      'the answer to /customer',
    );
    const text = readableText(reply);
    expect(text).not.toMatch(/Something went wrong/);
    expect(text).toMatch(/Make portal-only \(acme\)/);
    expect(text).toMatch(/Make portal-only \(acme-eu\)/);
    // The card names the email as the directory stores it, not as it was typed.
    expect(reply.text).toBe('Customer jsmith@abc.com');

    const portalOnly = await waitForNewModal(emulator, PEOPLE.admin.id, CALLBACK.makePortalOnly, async () => {
      await slack.clickButton(PEOPLE.admin.id, reply, nthActionId(ACTION.makePortalOnly, 2));
    });
    expect(viewText(portalOnly)).toMatch(/Make jsmith@abc.com portal-only on acme-eu/);
  });

  it('acks and answers every command of a burst larger than the work it runs at once', async () => {
    const { slack, emulator } = slackHarness();
    const emails = ['jsmith@abc.com', 'alee@example.org', 'bwong@example.net', 'kpatel@example.com'];
    const burst = Array.from({ length: 12 }, (_, i) => emails[i % emails.length] as string);
    const before = emulator.calls.to('response_url').length;
    const acks = await Promise.all(
      burst.map((email) => slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/customer', email)),
    );
    expect(acks.map((ack) => ack.status)).toEqual(burst.map(() => 200));
    const answers = () =>
      emulator.calls
        .to('response_url')
        .slice(before)
        .map((call) => String(call.args.text))
        .sort();
    const expected = burst.map((email) => `Customer ${email}`).sort();
    await eventually(async () => answers().length >= burst.length);
    expect(answers()).toEqual(expected);
  });

  it('answers help and no arguments with its usage, in the ack itself', async () => {
    const { slack } = slackHarness();
    for (const text of ['', 'help']) {
      const result = await slack.slashCommand(PEOPLE.member.id, CHANNELS.general.id, '/customer', text);
      expect(result.body).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringMatching(/^\*\/customer <email>\*/),
      });
    }
  });

  it('rejects a malformed email with one sentence and the usage', async () => {
    const result = await slackHarness().slack.slashCommand(
      PEOPLE.admin.id,
      CHANNELS.general.id,
      '/customer',
      'jsmith-at-abc.com',
    );
    expect(result.body).toMatchObject({
      text: '"jsmith-at-abc.com" is not an email address.\nUsage: `/customer <email>`',
    });
  });

  it('answers hostile words in the ack with one sentence that mentions nobody', async () => {
    const { slack } = slackHarness();
    for (const [text, sentence] of [
      ['{"$ne":1}', '"{"$ne":1}" is not an email address.'],
      ['<@U0ADMIN0001|ada>', '"U0ADMIN0001" is not an email address.'],
      ['&lt;!channel&gt;', '"&lt;!channel&gt;" is not an email address.'],
      [`${'x'.repeat(5000)}@`, `"${'x'.repeat(59)}…" is not an email address.`],
      ['a\u0000@b.co', '"a?@b.co" is not an email address.'],
    ]) {
      const result = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/customer', text);
      expect(result.body).toEqual({ response_type: 'ephemeral', text: `${sentence}\nUsage: \`/customer <email>\`` });
    }
  });

  it('denies someone without a role, naming the role needed', async () => {
    await slackHarness().slack.slashCommand(PEOPLE.member.id, CHANNELS.general.id, '/customer', 'jsmith@abc.com');
    const reply = await slackHarness().emulator.state.waitForEphemeral(PEOPLE.member.id, /You need/);
    expect(reply.text).toBe(
      'You need the viewer (or org-admin) role to look up customers; an org-admin can grant it with /accounts-admin.',
    );
  });
});
