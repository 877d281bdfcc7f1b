import { findByEmail } from '../../src/accounts/lookup';
import { PortalCustomer } from '../../src/accounts/models';
import { Job } from '../../src/jobs/models';
import { CALLBACK } from '../../src/slack/actionIds';
import { CHANNELS, PEOPLE, resetWorld, useSlackHarness } from '../support/slack';
import { eventually, viewText, waitForNewModal, waitForViewText } from './waiting';

const slackHarness = useSlackHarness('slack_portal_only');
beforeEach(resetWorld);

async function openPreview(command: string, text: string, callbackId: string) {
  const { slack, emulator } = slackHarness();
  return waitForNewModal(emulator, PEOPLE.siteAdmin.id, callbackId, () =>
    slack.slashCommand(PEOPLE.siteAdmin.id, CHANNELS.general.id, command, text),
  );
}

const activeProfileOn = (email: string, site: string) =>
  eventually(() => PortalCustomer.findOne({ email, site, status: 'active' }).lean());

describe('/make-portal-only', () => {
  it('refuses a licensed account until "revoke their licences" is ticked, then makes it portal-only', async () => {
    const { slack, emulator } = slackHarness();
    const modal = await openPreview('/make-portal-only', 'agent1@acme.com acme', CALLBACK.makePortalOnly);
    expect(viewText(modal)).toMatch(/Nothing will change: it is refused/);
    expect(viewText(modal)).toMatch(/agent1@acme.com\*?: .*jira-servicemanagement/);
    expect(modal.submit ?? undefined).toBeUndefined();

    await slack.choose(PEOPLE.siteAdmin.id, modal, 'licences/migration.revoke-licences', 'revoke');
    const ticked = await waitForViewText(emulator, modal.id, /revokes jira-servicemanagement/);
    expect(ticked).toMatch(
      /1 customer will change: 0 requests moved, 1 portal-only profile created, 1 licence revoked/,
    );
    expect(ticked).toMatch(/Revoked licences are not given back automatically/);

    await slack.submitView(PEOPLE.siteAdmin.id, modal.id);
    await waitForViewText(emulator, modal.id, /is queued: it will make agent1@acme.com portal-only on acme/);
    await activeProfileOn('agent1@acme.com', 'acme');
    const acme = await eventually(async () => {
      const site = (await findByEmail('agent1@acme.com')).account?.sites.find((s) => s.site === 'acme');
      return site && !site.siteAccess && site;
    });
    expect(acme.products).toEqual([]);
    expect(await Job.countDocuments()).toBe(1);
  });

  it('asks for the site when it is missing', async () => {
    const result = await slackHarness().slack.slashCommand(
      PEOPLE.siteAdmin.id,
      CHANNELS.general.id,
      '/make-portal-only',
      'agent1@acme.com',
    );
    expect(result.body).toMatchObject({
      text: expect.stringMatching(/^Name the site after the emails: portal-only customers belong to one site\./),
    });
  });
});

describe('/mark-portal-only', () => {
  it('counts and samples the eligible accounts; confirming runs them as one batch', async () => {
    const { slack, emulator } = slackHarness();
    const modal = await openPreview('/mark-portal-only', 'acme', CALLBACK.markPortalOnly);
    const text = viewText(modal);
    expect(text).toMatch(/Mark every eligible account of acme portal-only: 1 account with access to acme/);
    expect(text).toMatch(/bwong@example.net/);
    await slack.submitView(PEOPLE.siteAdmin.id, modal.id);
    await waitForViewText(emulator, modal.id, /is queued/);
    await activeProfileOn('bwong@example.net', 'acme');
    expect(await Job.countDocuments()).toBe(1);
  });

  it('wants exactly one site, and denies a member naming the role', async () => {
    const { slack, emulator } = slackHarness();
    const bad = await slack.slashCommand(PEOPLE.siteAdmin.id, CHANNELS.general.id, '/mark-portal-only', 'acme acme-eu');
    expect(bad.body).toMatchObject({ text: 'Give exactly one site, such as acme.\nUsage: `/mark-portal-only <site>`' });
    await slack.slashCommand(PEOPLE.member.id, CHANNELS.general.id, '/mark-portal-only', 'acme');
    const denial = await emulator.state.waitForEphemeral(PEOPLE.member.id, /You need/);
    expect(denial.text).toBe(
      'You need the site-admin on acme (or org-admin) role to make accounts portal-only on acme; an org-admin can grant it with /accounts-admin.',
    );
  });
});
