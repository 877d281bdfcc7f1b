import { PortalCustomer } from '../../src/accounts/models';
import { createPortalCustomer } from '../../src/accounts/portalCustomers';
import { Job } from '../../src/jobs/models';
import { ACTION, CALLBACK } from '../../src/slack/actionIds';
import { testContext } from '../support/database';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';
import { eventually, viewText, waitForDm, waitForNewModal, waitForViewText } from './waiting';

const slackHarness = useSlackHarness('slack_copy');
beforeEach(resetWorld);

function openPreview(text: string) {
  const { slack, emulator } = slackHarness();
  return waitForNewModal(emulator, PEOPLE.admin.id, CALLBACK.copyCustomers, () =>
    slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/copy-customers', text),
  );
}

describe('/copy-customers', () => {
  it('previews the counts in a modal; confirming starts one copy job, however often it is submitted', async () => {
    const { slack, emulator } = slackHarness();
    const modal = await openPreview('acme acme-eu');
    const text = viewText(modal);
    expect(text).toMatch(/Copy \d+ customers of acme to acme-eu/);
    expect(text).toMatch(/2 copied as portal-only, 1 inactive profile copied as inactive, 1 given the Customer role/);
    expect(text).toMatch(/1 added to an imported group to review/);
    expect(text).toMatch(/1 duplicate to fix/);
    expect(text).toMatch(/Will need an action afterwards\* \(listed in RequiresAttention.csv\)/);
    expect(text).toMatch(/jsmith@abc.com\*: added to a new imported group on acme-eu, pending review/);

    await Promise.all([
      slack.submitView(PEOPLE.admin.id, modal.id),
      slack.submitView(PEOPLE.admin.id, modal.id, {}, { retryNum: 1, retryReason: 'http_timeout' }),
    ]);
    await waitForViewText(emulator, modal.id, /is queued: it will copy customers of acme to acme-eu/);
    const ended = await eventually(() => Job.findOne({ kind: 'copy-customers', state: 'succeeded' }).lean());
    expect(ended.requestedBy).toEqual({ kind: 'slack', id: PEOPLE.admin.id, name: PEOPLE.admin.name });
    expect(await Job.countDocuments()).toBe(1);
  });

  it('ends a copy whose preview went stale without copying anything, and offers the new preview', async () => {
    const { slack, emulator } = slackHarness();
    const modal = await openPreview('acme acme-eu');
    await createPortalCustomer({ site: 'acme', email: 'new.person@example.com' }, testContext());
    await slack.submitView(PEOPLE.admin.id, modal.id);
    const stale = await eventually(() => Job.findOne({ state: 'stale' }).lean());
    expect(await PortalCustomer.countDocuments({ site: 'acme-eu', email: 'new.person@example.com' })).toBe(0);
    const dm = await waitForDm(emulator, PEOPLE.admin.id, /so nothing was changed/);
    const fresh = await waitForNewModal(emulator, PEOPLE.admin.id, CALLBACK.copyCustomers, () =>
      slack.clickButton(PEOPLE.admin.id, dm, ACTION.newPreview),
    );
    const text = await waitForViewText(emulator, fresh.id, /new.person@example.com\*: copied as portal-only/);
    expect(text).toMatch(new RegExp(`The directory changed after you confirmed job ${stale._id}`));
    expect(await Job.countDocuments()).toBe(1);
  });

  it('checks its words in the ack and names the role it needs', async () => {
    const { slack, emulator } = slackHarness();
    const same = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/copy-customers', 'acme acme');
    expect(same.body).toMatchObject({
      text: expect.stringMatching(/^The source and the destination are both acme: copy between two different sites\./),
    });
    const key = await slack.slashCommand(PEOPLE.admin.id, CHANNELS.general.id, '/copy-customers', 'acme acme-eu HE-LP');
    expect(key.body).toMatchObject({ text: expect.stringMatching(/^"HE-LP" is not a project key such as HELP\./) });

    await slack.slashCommand(PEOPLE.siteAdmin.id, CHANNELS.general.id, '/copy-customers', 'acme acme-eu');
    const denial = await emulator.state.waitForEphemeral(PEOPLE.siteAdmin.id, /You need/);
    expect(denial.text).toBe(
      'You need the site-admin on acme-eu (or org-admin) role to copy customers from acme to acme-eu; an org-admin can grant it with /accounts-admin.',
    );
  });
});
